using System.Text;

namespace Butterfly.Server.Tests.Infrastructure;

/// <summary>Small RFC 5322 messages for tests.</summary>
internal static class TestMessages
{
    public static byte[] Simple(string from, string to, string subject, string body = "Hello.\r\n", string? extraHeaders = null) =>
        Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\n{extraHeaders}Date: Sat, 21 Nov 2026 12:00:00 +0000\r\n" +
            $"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}");

    public static byte[] OfSize(string from, string to, string subject, int size)
    {
        var head = Simple(from, to, subject, string.Empty);
        var body = new StringBuilder();
        var line = 0;
        while (head.Length + body.Length < size - 80)
        {
            body.Append("Line ").Append(line++).Append(": the quick brown fox jumps over the lazy dog.\r\n");
        }

        return [.. head, .. Encoding.ASCII.GetBytes(body.ToString())];
    }
}
