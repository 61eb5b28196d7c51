using System.Globalization;
using Butterfly.Cli.Rendering;
using Butterfly.Storage.Postgres.Import;

namespace Butterfly.Cli.Migrate;

/// <summary>
/// Progress lines on stderr (stdout keeps the result): <c>copying contents: 1200/5000 rows, 12.3/40.1 MB</c>, or with
/// <c>--json</c> one object per line. The importer already throttles them to a few a second per table.
/// </summary>
internal sealed class MigrateProgress(TextWriter error, bool json) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value)
    {
        var phase = value.Phase == ImportPhase.Copying ? "copying" : "verifying";
        if (!json)
        {
            var bytes = value.TotalBytes > 0 ? $", {Megabytes(value.Bytes)}/{Megabytes(value.TotalBytes)} MB" : string.Empty;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase} {value.Table}: {value.Rows}/{value.TotalRows} rows{bytes}"));
            return;
        }

        error.WriteLine(JsonOutput.Compact(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("progress");
            writer.WriteString("phase", phase);
            writer.WriteString("table", value.Table);
            writer.WriteNumber("rows", value.Rows);
            writer.WriteNumber("totalRows", value.TotalRows);
            writer.WriteNumber("bytes", value.Bytes);
            writer.WriteNumber("totalBytes", value.TotalBytes);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
