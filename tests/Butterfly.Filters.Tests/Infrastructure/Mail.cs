using Butterfly.Client;
using Butterfly.Mime;

namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>Reading stored messages back in assertions.</summary>
internal static class Mail
{
    public static MimeMessage Parse(FetchedMessage message)
    {
        Assert.Equal(MimeError.None, MimeMessage.TryParse(message.Content, out var parsed));
        return parsed!;
    }

    public static string? Header(FetchedMessage message, string name) => Parse(message).Headers[name];

    public static string Text(FetchedMessage message) => Parse(message).GetText().Trim();
}
