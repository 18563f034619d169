export default function ConsolePage() {
  return <p className="muted">An interactive console (docker exec) comes in a later release.</p>;
}
