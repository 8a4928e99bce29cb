// Kept under its 0.1.0 name: state written by 0.1.0 stores a provider that requires
// dist/roster/auditProvider.js by path (docs/development.md, "File names"). New code imports ./audit-provider.
export { rosterAuditProvider } from "./audit-provider";
