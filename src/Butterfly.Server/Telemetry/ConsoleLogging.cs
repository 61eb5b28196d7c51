using System.Text.Encodings.Web;
using System.Text.Json;
using Butterfly.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// The console log's line format (<c>logging.format</c>): text, text in journald's format when stdout goes to
/// the journal, or JSON. Scopes are written in every format, so an error logged while a session runs carries
/// the session id.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>
    /// Whether stdout goes to journald: systemd sets <c>JOURNAL_STREAM</c> for a unit whose output it connects
    /// to the journal (systemd.exec(5)). The variable is inherited by children whose output goes elsewhere;
    /// the price of that is a <c>&lt;6&gt;</c> prefix on their lines, which <c>logging.format</c> json avoids.
    /// </summary>
    public static bool ToJournal => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    /// <summary>Chooses the formatter; runs after the simple console logger and systemd's defaults were added.</summary>
    /// <param name="logging">The logging builder.</param>
    /// <param name="options">The logging section.</param>
    public static void Choose(ILoggingBuilder logging, LoggingOptions options)
    {
        // The formatters' own options (the console logger registers all three formatters); which one
        // writes is ConsoleLoggerOptions.FormatterName. systemd's writes scopes too: the session id.
        logging.Services.Configure<ConsoleFormatterOptions>(systemd => systemd.IncludeScopes = true);
        logging.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

            // Logs are not HTML: <alice@example.org> stays readable instead of \u003C…\u003E.
            json.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });

        string formatter;
        if (string.Equals(options.Format, LoggingOptions.JsonFormat, StringComparison.OrdinalIgnoreCase))
        {
            formatter = ConsoleFormatterNames.Json;
        }
        else if (ToJournal)
        {
            // journald keeps its own timestamp; the <N> prefix becomes the entry's PRIORITY field.
            formatter = ConsoleFormatterNames.Systemd;
        }
        else
        {
            // Text: the simple format, or systemd's when AddSystemd saw that systemd started the process.
            return;
        }

        // After AddSimpleConsole's and AddSystemd's choices.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = formatter);
    }
}
