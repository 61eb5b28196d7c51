using System.Text;
using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

public class DeterminismTests
{
    private const string Source = """
        function onMessage(message, ctx) {
          const pick = Math.floor(ctx.random() * 1000);
          ctx.state.picks = (ctx.state.picks || []).concat([pick, Math.random()]);
          ctx.send({ to: message.from, subject: "Pick " + pick + " at " + new Date().toISOString(), text: "ü " + ctx.random(), html: "<p>" + pick + "</p>" });
          ctx.reply({ text: "noted" });
        }
        """;

    [Fact]
    public void Run_SameSeedAndNow_SameEffectsStateAndComposedBytes()
    {
        var script = Scripts.Compile(Source);
        var context = Scripts.Context("""{"picks":[1]}""", seed: 123456789);

        var first = Scripts.Succeeded(Scripts.Runner.RunMessage(script, Scripts.Message(), context, ScriptLimits.Default, CancellationToken.None));
        var second = Scripts.Succeeded(Scripts.Runner.RunMessage(script, Scripts.Message(), context, ScriptLimits.Default, CancellationToken.None));

        Assert.Equal(first.StateJson, second.StateJson);
        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(Compose(first, 123456789), Compose(second, 123456789));
    }

    [Fact]
    public void Run_OtherSeed_OtherDraws()
    {
        var script = Scripts.Compile(Source);

        var first = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(seed: 1), ScriptLimits.Default, CancellationToken.None);
        var second = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(seed: 2), ScriptLimits.Default, CancellationToken.None);

        Assert.NotEqual(first.StateJson, second.StateJson);
    }

    [Fact]
    public void Compose_WritesAParseableMessageWithTheEffectsFields()
    {
        var effect = new SendEffect(["a@x.org"], ["b@x.org"], "Grüße", "Text ü", "<p>Html</p>", [new("X-List", "play")], "orig@x.org", ["first@x.org", "orig@x.org"]);

        var bytes = ScriptMail.Compose(effect, "list@example.org", "example.org", Scripts.Noon, 99);
        var parsed = MimeKit.MimeMessage.Load(new MemoryStream(bytes));

        Assert.Equal("list@example.org", parsed.From.Mailboxes.Single().Address);
        Assert.Equal(["a@x.org"], parsed.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["b@x.org"], parsed.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal("Grüße", parsed.Subject);
        Assert.Equal(Scripts.Noon, parsed.Date);
        Assert.EndsWith("@example.org", parsed.MessageId, StringComparison.Ordinal);
        Assert.Equal("orig@x.org", parsed.InReplyTo);
        Assert.Equal(["first@x.org", "orig@x.org"], parsed.References);
        Assert.Equal("play", parsed.Headers["X-List"]);
        Assert.Equal("Text ü", parsed.TextBody!.TrimEnd());
        Assert.Equal("<p>Html</p>", parsed.HtmlBody!.TrimEnd());
        Assert.Contains("\r\n", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.True(bytes.All(b => b < 128), "the message is 7-bit");
    }

    [Fact]
    public void Compose_SameInputs_SameBytes_OtherSeed_OtherMessageId()
    {
        var effect = new SendEffect(["a@x.org"], [], "S", "T", "<b>H</b>", [], null, []);

        var first = ScriptMail.Compose(effect, "list@example.org", "example.org", Scripts.Noon, 5);
        var again = ScriptMail.Compose(effect, "list@example.org", "example.org", Scripts.Noon, 5);
        var other = ScriptMail.Compose(effect, "list@example.org", "example.org", Scripts.Noon, 6);

        Assert.Equal(first, again);
        var firstId = MimeKit.MimeMessage.Load(new MemoryStream(first)).MessageId;
        var otherId = MimeKit.MimeMessage.Load(new MemoryStream(other)).MessageId;
        Assert.NotEqual(firstId, otherId);
    }

    [Fact]
    public void EffectSeed_DiffersPerIndexAndIsStable()
    {
        var seeds = Enumerable.Range(0, 100).Select(i => ScriptMail.EffectSeed(42, i)).ToList();

        Assert.Equal(100, seeds.Distinct().Count());
        Assert.Equal(seeds, Enumerable.Range(0, 100).Select(i => ScriptMail.EffectSeed(42, i)));
    }

    private static string Describe(ScriptRunResult result) => string.Join("\n", result.Effects.Select(effect => effect switch
    {
        SendEffect send => $"send {string.Join(",", send.To)} {send.Subject} {send.Text} {send.Html} {send.InReplyTo} {string.Join(",", send.References)}",
        _ => effect.ToString(),
    }));

    private static byte[][] Compose(ScriptRunResult result, long runSeed) =>
        [.. result.Effects.OfType<SendEffect>().Select((send, i) => ScriptMail.Compose(send, "list@example.org", "example.org", Scripts.Noon, ScriptMail.EffectSeed(runSeed, i)))];
}
