import { AccessPage } from "~/app/_features/users/access-page";

export default function Page() {
  return <AccessPage />;
}
