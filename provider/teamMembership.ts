// Kept under its 0.1.0 name: state written by 0.1.0 stores a provider that requires
// dist/provider/teamMembership.js by path (docs/development.md, "File names"). New code imports ./team-membership.
export { teamMembershipProvider } from "./team-membership";
