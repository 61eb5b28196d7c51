using System.Text.RegularExpressions;

namespace Butterfly.Server.Smtp;

/// <summary>
/// Reply text: RFC 2034 enhanced status codes (RFC 3463) for the replies the SmtpServer library
/// writes without one, chosen by reply code and command, in one table.
/// </summary>
internal static partial class SmtpReplies
{
    /// <summary>Whether <paramref name="text"/> starts with an enhanced status code (<c>2.1.0</c>).</summary>
    public static bool HasEnhancedCode(string text) => EnhancedCodePattern().IsMatch(text);

    /// <summary>The text without the library's ", N retry(ies) remaining." tail.</summary>
    public static string WithoutRetryCount(string text) => RetryTail().Replace(text, string.Empty);

    /// <summary>The enhanced status code for reply <paramref name="code"/> to <paramref name="verb"/> ("." is the end of DATA).</summary>
    public static string EnhancedCode(int code, string verb) => (code, verb) switch
    {
        (250, "MAIL") => "2.1.0",
        (250, "RCPT") => "2.1.5",
        (_, _) when code / 100 == 2 => "2.0.0",
        (421, _) => "4.3.2",
        (451, _) => "4.3.0",
        (452, "RCPT") => "4.5.3",
        (452, _) => "4.3.1",
        (500, _) => "5.5.2",
        (501, _) => "5.5.4",
        (502, _) => "5.5.1",
        (503, _) => "5.5.1",
        (504, _) => "5.5.4",
        (530, _) => "5.7.0",
        (552, _) => "5.3.4",
        (553, _) => "5.1.3",
        (554, "DATA") => "5.5.1",
        (_, _) when code / 100 == 4 => "4.0.0",
        _ => "5.0.0",
    };

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}( |$)")]
    private static partial Regex EnhancedCodePattern();

    [GeneratedRegex(@", \d+ retry\(ies\) remaining\.$")]
    private static partial Regex RetryTail();
}
