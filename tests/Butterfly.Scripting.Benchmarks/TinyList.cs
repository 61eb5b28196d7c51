using System.Text;

namespace Butterfly.Scripting.Benchmarks;

/// <summary>Example 1 (the 140-character list) with a given number of subscribers, and a post from one of them.</summary>
internal static class TinyList
{
    public static string Source => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "1-tiny-list.js"));

    public static string State(int subscribers) =>
        "{\"subscribers\":[" + string.Join(",", Enumerable.Range(0, subscribers).Select(i => $"\"member{i}@example.net\"")) + "]}";

    public static ScriptMessage Post()
    {
        var text = string.Join(" ", Enumerable.Repeat("A post that is longer than a tweet, so the script has to trim it.", 5));
        var raw = "From: Member Seven <member7@example.net>\r\nTo: play@example.org\r\nSubject: hello all\r\n" +
                  "Date: Mon, 02 Mar 2026 11:59:00 +0000\r\nMessage-ID: <post@example.net>\r\nMIME-Version: 1.0\r\n" +
                  "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
        return ScriptMessage.Read(Encoding.UTF8.GetBytes(raw), "member7@example.net", ["play@example.org"]);
    }

    public static ScriptRunContext Context(string state) =>
        new("play@example.org", "owner@example.org", "example.org", new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero), 42, state);
}
