namespace Butterfly.Cli.Rendering;

/// <summary>Prints rows as left-aligned columns, clipping cells wider than their column's maximum.</summary>
internal sealed class TableWriter
{
    private readonly string[] _headers;
    private readonly int[] _maxWidths;
    private readonly List<string[]> _rows = [];

    /// <param name="headers">Column titles.</param>
    /// <param name="maxWidths">The widest each column may be (0 for no limit).</param>
    public TableWriter(string[] headers, int[] maxWidths)
    {
        _headers = headers;
        _maxWidths = maxWidths;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output)
    {
        var widths = new int[_headers.Length];
        for (var c = 0; c < widths.Length; c++)
        {
            var widest = Math.Max(_headers[c].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Length));
            widths[c] = _maxWidths[c] > 0 ? Math.Min(widest, _maxWidths[c]) : widest;
        }

        WriteRow(output, _headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var line = new System.Text.StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            var cell = Clip(cells[c], widths[c]);
            line.Append(c == cells.Length - 1 ? cell : cell.PadRight(widths[c] + 2));
        }

        output.WriteLine(line.ToString().TrimEnd());
    }

    private static string Clip(string text, int width)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(0, width - 1)), "…");
    }
}
