namespace Butterfly.Protocol.Tests.Documents;

/// <summary>Parses the one table of protocol/errors.md: the first table whose header starts with "Code".</summary>
internal static class ErrorsDocument
{
    public const string ProtocolKind = "protocol (closes)";
    public const string CommandKind = "command";

    public static IReadOnlyList<ErrorTableRow> ParseTable(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r').Trim()).ToArray();
        var header = Array.FindIndex(lines, l => l.StartsWith('|') && Cells(l) is [var first, ..] && first == "Code");
        if (header < 0)
        {
            throw new InvalidDataException("errors.md has no table with a 'Code' column.");
        }

        var columns = Cells(lines[header]);
        if (!columns.SequenceEqual(["Code", "Kind", "Meaning", "Sent when"]))
        {
            throw new InvalidDataException($"Unexpected columns: {string.Join(", ", columns)}.");
        }

        var rows = new List<ErrorTableRow>();
        for (var i = header + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            if (cells.Count != columns.Count)
            {
                throw new InvalidDataException($"Line {i + 1} has {cells.Count} cells: {lines[i]}");
            }

            rows.Add(new ErrorTableRow(cells[0].Trim('`'), cells[1], cells[2], cells[3]));
        }

        return rows;
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
}
