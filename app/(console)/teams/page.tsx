import { TeamsPage } from "~/app/_features/teams/teams-page";

export default function Page() {
  return <TeamsPage />;
}
