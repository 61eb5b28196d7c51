using System.Text;

namespace Butterfly.Mime.Tests;

/// <summary>Helpers to parse test messages.</summary>
internal static class Msg
{
    public static MimeMessage Parse(string text, ParserOptions? options = null) => Parse(Encoding.UTF8.GetBytes(text), options);

    public static MimeMessage Parse(byte[] bytes, ParserOptions? options = null)
    {
        var error = MimeMessage.TryParse(bytes, options ?? ParserOptions.Default, out var message);
        Assert.Equal(MimeError.None, error);
        Assert.NotNull(message);
        return message!;
    }

    public static MimeError Error(string text, ParserOptions options) => MimeMessage.TryParse(Encoding.UTF8.GetBytes(text), options, out _);

    public static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    public static string Crlf(string text) => Lf(text).Replace("\n", "\r\n", StringComparison.Ordinal);

    public static byte[] Data(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}
