using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Fuzzing;

/// <summary>
/// Heads found by the AFL++ head target (tests/fuzz) that hold invalid UTF-8 or a lone surrogate
/// escape in a string: the parser lets them through and reading the string threw. Each must get
/// a tagged <c>request.malformed-json</c> and leave the session open, over a real socket.
/// </summary>
public sealed class HeadRegressionTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    private static string Regressions => Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz-regressions");

    [Theory]
    [InlineData("head-cmd-invalid-utf8.bin")]
    [InlineData("head-cmd-lone-surrogate.json")]
    [InlineData("head-login-user-invalid-utf8.bin")]
    [InlineData("head-name-lone-surrogate.bin")]
    public async Task Request_StringNotValidText_GetsMalformedJsonAndSessionContinues(string file)
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var head = await File.ReadAllBytesAsync(Path.Combine(Regressions, file));

        await session.Connection.SendRawAsync(FrameWriter.ToArray(11, head, []));
        var reply = await session.Connection.ReadAsync();

        Assert.NotNull(reply);
        Assert.Equal(11UL, reply.Tag);
        Assert.Equal(ErrorCode.RequestMalformedJson, reply.Error);
        Assert.True((await session.RequestAsync(new { cmd = "hello" })).Ok);
    }

    [Fact]
    public async Task Request_NonAsciiAndEscapedText_IsStillAnswered()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);

        await session.Connection.SendAsync(12, "{\"cmd\":\"hello\",\"client\":\"caf\u00e9 \\ud83e\\udd8b \\u00e9\"}");
        var reply = await session.Connection.ReadAsync();

        Assert.NotNull(reply);
        Assert.Equal(12UL, reply.Tag);
        Assert.Equal(ErrorCode.None, reply.Error);
    }

    [Fact]
    public void HeadFuzz_SavedRegressionInputs_DoNotThrow()
    {
        var files = Directory.GetFiles(Regressions, "head-*").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            HeadFuzz.Fuzz(File.ReadAllBytes(file));
        }
    }
}
