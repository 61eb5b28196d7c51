using System.Text;
using MimeKit;
using Mk = MimeKit;
using MkHeader = MimeKit.Header;

namespace Butterfly.Mime.Tests.Comparison;

/// <summary>
/// The same bytes read by MimeKit and by Butterfly.Mime: every entity at the same offsets, every
/// header field at the offset Butterfly.Mime reports with MimeKit's raw name and value there, and
/// the summary fields equal. Over random MimeKit messages and the TestData files.
/// </summary>
public class ButterflyAgreesWithMimeKitTests
{
    /// <summary>
    /// TestData files where the two parsers differ for a reason, each named with what differs and
    /// why. Everything else in those files is still compared.
    /// </summary>
    private static readonly Dictionary<string, Difference> KnownDifferences = new(StringComparer.Ordinal)
    {
        // Malformed lists: MimeKit drops a list it cannot parse whole; we keep what we can.
        ["address-lists-malformed.eml"] = Difference.Addresses,

        // No RFC 5322 syntax has a route outside angle brackets or two "@" (see
        // AddressParsingTests.Message_SourceRoutesAndBangPaths_NoJunkMailboxes): MimeKit drops the
        // first list and cuts the domain off the second address.
        ["address-source-routes-and-bang-paths.eml"] = Difference.Addresses,

        // MimeKit keeps a line without a colon among the fields as a field named after the line;
        // we skip it.
        ["header-line-without-colon-before-content-type.eml"] = Difference.HeaderList,

        // Broken encodings, decoded differently: MimeKit drops a last base64 quantum without its
        // padding ("Hello, world" without "!") and keeps "=" before trailing white space, which
        // RFC 2045 6.7 (3) makes a soft line break once the transport's white space is removed.
        ["base64-broken-garbage-and-missing-padding.eml"] = Difference.Content,
        ["quoted-printable-broken-escapes.eml"] = Difference.Content,

        // Structure read differently on purpose (README "Leniency"): MimeKit takes no delimiter
        // with text after the boundary and no unquoted boundary with specials, so it finds fewer
        // parts. The top-level fields are still compared.
        ["multipart-boundary-prefix-lines.eml"] = Difference.Structure,
        ["multipart-broken-boundary-parameter.eml"] = Difference.Structure,
    };

    [Flags]
    private enum Difference
    {
        None = 0,
        Addresses = 1,
        HeaderList = 2,
        Content = 4,
        Structure = 8,
    }

    [Theory]
    [MemberData(nameof(MimeKitWritesButterflyReadsTests.Seeds), MemberType = typeof(MimeKitWritesButterflyReadsTests))]
    public void TryParse_RandomMimeKitMessages_OffsetsAndFieldsAsMimeKitReadsThem(int first)
    {
        for (int seed = first; seed < first + 20; seed++)
        {
            // Other seeds than the writing test's, so the two see different messages.
            var generator = new RandomMessageGenerator(1_000_000 + seed);
            var format = generator.NextFormat();
            var bytes = RandomMessageGenerator.ToBytes(generator.NextMessage(), format);
            Compare(bytes, Difference.None, "seed " + (1_000_000 + seed));
        }
    }

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData");
        foreach (var f in Directory.EnumerateFiles(dir, "*.eml").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TryParse_TestDataFile_OffsetsAndFieldsAsMimeKitReadsThem(string file)
    {
        var bytes = Msg.Data(file);
        if (file.StartsWith("depth-bomb", StringComparison.Ordinal))
        {
            // 150 levels: past our default limit by design (MimeKit's is 1024); read with a higher one.
            Compare(bytes, Difference.None, file, new ParserOptions { MaxDepth = 200 });
            return;
        }

        if (file.StartsWith("part-count-bomb", StringComparison.Ordinal))
        {
            // 10,001 parts: past our default limit by design (MimeKit has none).
            Compare(bytes, Difference.None, file, new ParserOptions { MaxParts = 10_002 });
            return;
        }

        Compare(bytes, KnownDifferences.GetValueOrDefault(file), file);
    }

    private static void Compare(byte[] bytes, Difference known, string name, ParserOptions? options = null)
    {
        var mimeKit = new MimeKitStructure(bytes);
        var ours = Msg.Parse(bytes, options);
        try
        {
            CompareMessage(bytes, mimeKit, mimeKit.Message, ours, known);
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException(name + ":\n" + ex.Message);
        }
    }

    private static void CompareMessage(byte[] bytes, MimeKitStructure mimeKit, Mk.MimeMessage theirs, MimeMessage ours, Difference known)
    {
        var (begin, headersEnd, end) = mimeKit.Offsets(theirs);
        Assert.Equal((AfterFromLine(bytes, begin), headersEnd, end), (ours.Body.Offset, ours.Body.BodyOffset, ours.Body.Offset + ours.Body.Length));
        Assert.Equal(theirs.Subject, ours.Subject);
        Assert.Equal(theirs.Date == DateTimeOffset.MinValue ? null : theirs.Date, ours.Date);
        Assert.Equal(Bracket(theirs.MessageId), ours.MessageId);
        Assert.Equal(Bracket(theirs.InReplyTo), ours.InReplyTo);
        Assert.Equal(theirs.References.Select(Bracket), ours.References);
        if (!known.HasFlag(Difference.Addresses))
        {
            Assert.Equal(Mailboxes(theirs.From), ours.From.Select(m => (m.Name, m.Address)));
            Assert.Equal(Mailboxes(theirs.To), ours.To.Select(m => (m.Name, m.Address)));
            Assert.Equal(Mailboxes(theirs.Cc), ours.Cc.Select(m => (m.Name, m.Address)));
            Assert.Equal(Mailboxes(theirs.ReplyTo), ours.ReplyTo.Select(m => (m.Name, m.Address)));
        }

        // MimeKit files a message's Content-* fields under its body and the others under the message.
        var fields = theirs.Headers.Concat(theirs.Body!.Headers).DistinctBy(h => h.Offset).OrderBy(h => h.Offset).ToList();
        CompareEntity(bytes, mimeKit, theirs.Body!, ours.Body, fields, known);
    }

    /// <param name="headers">The entity's fields as MimeKit found them (for a message's body, the message's).</param>
    private static void CompareEntity(byte[] bytes, MimeKitStructure mimeKit, Mk.MimeEntity theirs, MimeEntity ours, IReadOnlyList<MkHeader> headers, Difference known)
    {
        CompareHeaders(bytes, headers, ours.Headers, known);
        Assert.Equal(theirs.ContentType.MimeType, ours.ContentType.MimeType, ignoreCase: true);
        if (known.HasFlag(Difference.Structure))
        {
            return;
        }

        var (begin, headersEnd, end) = mimeKit.Offsets(theirs);
        Assert.Equal((AfterFromLine(bytes, begin), headersEnd, end), (ours.Offset, ours.BodyOffset, ours.Offset + ours.Length));

        switch (theirs)
        {
            case Multipart multipart:
                Assert.Equal(multipart.Count, ours.Children.Count);
                for (int i = 0; i < multipart.Count; i++)
                {
                    CompareEntity(bytes, mimeKit, multipart[i], ours.Children[i], [.. multipart[i].Headers], known);
                }

                break;
            case MessagePart part:
                CompareMessage(bytes, mimeKit, part.Message!, Assert.IsType<MimeMessage>(ours.Message), known);
                break;
            case MimePart part when !known.HasFlag(Difference.Content):
                Assert.Equal(MimeKitWritesButterflyReadsTests.Content(part), ours.GetContent());
                Assert.Equal(part.FileName, ours.FileName);
                break;
        }
    }

    /// <summary>Every field MimeKit found is where Butterfly.Mime says, with the same name and raw value.</summary>
    private static void CompareHeaders(byte[] bytes, IReadOnlyList<MkHeader> theirs, HeaderList ours, Difference known)
    {
        // MimeKit keeps a line without a colon among the fields as a field named after the line
        // (a name with a space in it); we skip the line.
        var fields = known.HasFlag(Difference.HeaderList) ? [.. theirs.Where(h => !h.Field.Contains(' ', StringComparison.Ordinal))] : theirs.ToList();
        Assert.Equal(fields.Select(h => h.Field), ours.Select(h => h.Name));
        for (int i = 0; i < fields.Count; i++)
        {
            // MimeKit 4.18 sets a field's offset when the line after the field starts, so the first
            // field of a block has the offset left from before the block (where the last block or
            // part ended); ours is checked against the bytes below.
            if (i > 0)
            {
                Assert.Equal(fields[i].Offset, ours[i].Offset);
            }

            var rawValue = fields[i].RawValue.AsSpan();
            rawValue = rawValue.EndsWith("\r\n"u8) ? rawValue[..^2] : rawValue.EndsWith("\n"u8) ? rawValue[..^1] : rawValue;
            Assert.Equal(Encoding.Latin1.GetString(rawValue), Encoding.Latin1.GetString(ours[i].RawValue.Span));

            // The field as the offsets give it: name, colon, value.
            var field = bytes.AsSpan(ours[i].Offset, ours[i].RawField.Length);
            Assert.True(field.StartsWith(fields[i].RawField), fields[i].Field);
            Assert.True(field.EndsWith(rawValue), fields[i].Field);
        }
    }

    /// <summary>
    /// MimeKit counts an mbox "From " line before a message's first field as the message's (its
    /// MboxMarker); our message and its body start after it.
    /// </summary>
    private static long AfterFromLine(byte[] bytes, long begin)
    {
        var rest = bytes.AsSpan((int)begin);
        return rest.StartsWith("From "u8) ? begin + rest.IndexOf((byte)'\n') + 1 : begin;
    }

    private static string? Bracket(string? id) => id is null ? null : "<" + id + ">";

    private static IEnumerable<(string?, string)> Mailboxes(InternetAddressList list) =>
        list.Mailboxes.Select(m => (string.IsNullOrEmpty(m.Name) ? null : m.Name, m.Address));
}
