using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Commands;

/// <summary>
/// Prints a failure on stderr: <c>error: CODE: MESSAGE</c>, or with <c>--json</c> one line
/// <c>{"error":{"code":CODE,"message":MESSAGE}}</c> so scripts read errors the way they read results.
/// </summary>
internal static class ErrorOutput
{
    /// <summary>The code of usage errors (exit code 2).</summary>
    public const string UsageCode = "usage";

    public static async Task WriteAsync(TextWriter error, bool json, string code, string message)
    {
        if (!json)
        {
            await error.WriteLineAsync($"error: {code}: {message}");
            return;
        }

        await error.WriteLineAsync(JsonOutput.Compact(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }
}
