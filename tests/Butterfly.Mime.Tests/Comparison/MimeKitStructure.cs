using MimeKit;
using Mk = MimeKit;

namespace Butterfly.Mime.Tests.Comparison;

/// <summary>A message parsed by MimeKit, with the offsets its parser reports for every entity and message.</summary>
internal sealed class MimeKitStructure
{
    private readonly Dictionary<object, (long Begin, long HeadersEnd, long End)> _offsets = new(ReferenceEqualityComparer.Instance);

    // Before MimeKit first looks a charset up: it remembers a failed lookup (big5, gb2312 without the provider) for good.
    static MimeKitStructure() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public MimeKitStructure(byte[] bytes)
    {
        var parser = new MimeParser(new MemoryStream(bytes), MimeFormat.Entity);
        parser.MimeEntityEnd += (_, e) => _offsets[e.Entity] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        parser.MimeMessageEnd += (_, e) => _offsets[e.Message] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        Message = parser.ParseMessage();
    }

    public Mk.MimeMessage Message { get; }

    /// <summary>Where MimeKit found <paramref name="entityOrMessage"/>: its first byte, its body's first byte, its end.</summary>
    public (long Begin, long HeadersEnd, long End) Offsets(object entityOrMessage) => _offsets[entityOrMessage];
}
