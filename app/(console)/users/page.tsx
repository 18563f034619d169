import { UsersPage } from "~/app/_features/users/users-page";

export default function Page() {
  return <UsersPage />;
}
