namespace Butterfly.Protocol.Tests.Documents;

/// <summary>One row of the table in protocol/errors.md.</summary>
/// <param name="Code">The wire code, without backticks.</param>
/// <param name="Kind">"protocol (closes)" or "command".</param>
/// <param name="Meaning">The default message.</param>
/// <param name="SentWhen">When the server sends it.</param>
internal sealed record ErrorTableRow(string Code, string Kind, string Meaning, string SentWhen);
