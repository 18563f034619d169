export default function StatsPage() {
  return <p className="muted">Live CPU, memory, network and block I/O charts come in a later release.</p>;
}
