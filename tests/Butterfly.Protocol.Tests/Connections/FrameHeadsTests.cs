using System.Buffers;
using Butterfly.Protocol.Connections;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

/// <summary>
/// Heads that are JSON to the reader but not text: found by the AFL++ head target (tests/fuzz),
/// these threw out of the scanners and took the connection down with them.
/// </summary>
public sealed class FrameHeadsTests
{
    [Theory]
    [InlineData("{\"\\ud800eve\":\"mew\",\"cmd\":\"x\"}")]
    public void Classify_NameWithLoneSurrogateEscape_IsMalformed(string head)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(head);

        Assert.Equal(HeadKind.Malformed, FrameHeads.Classify(new ReadOnlySequence<byte>(bytes)));
    }

    [Theory]
    [InlineData("{\"ok\":false,\"code\":\"auth\u00ff\",\"message\":\"no\"}", 24)]
    [InlineData("{\"ok\":false,\"code\":\"auth.failed\",\"message\":\"n\u00ffo\"}", 45)]
    [InlineData("{\"ok\":false,\"code\":\"\\ud800\"}", -1)]
    public void TryScanReply_StringNotValidText_ReturnsFalse(string head, int invalidByteAt)
    {
        // Latin-1 so that \u00ff becomes the lone byte 0xFF, invalid in UTF-8.
        var bytes = System.Text.Encoding.Latin1.GetBytes(head);
        Assert.True(invalidByteAt < 0 || bytes[invalidByteAt] == 0xFF);

        Assert.False(FrameHeads.TryScanReply(bytes, out _, out _, out _));
    }
}
