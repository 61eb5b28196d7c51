using System.Text;
using Butterfly.Bench;
using Xunit;

namespace Butterfly.Cli.Tests.Bench;

public sealed class BenchMessageTests
{
    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    [InlineData(10240)]
    [InlineData(65537)]
    public void Create_AnySize_ExactLengthAndWellFormed(int size)
    {
        for (var extra = 0; extra < 80; extra++)
        {
            var message = BenchMessage.Create("a@example.org", "b@example.org", size + extra);
            var text = Encoding.ASCII.GetString(message);

            Assert.Equal(size + extra, message.Length);
            Assert.Contains("\r\n\r\n", text, StringComparison.Ordinal);
            Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
            var lines = text.Split("\r\n");
            Assert.All(lines, line => Assert.True(line.Length <= 78, $"line of {line.Length}"));
            Assert.DoesNotContain('\n', text.Replace("\r\n", "", StringComparison.Ordinal));
            Assert.All(message, b => Assert.True(b is >= 32 and < 127 or (byte)'\r' or (byte)'\n'));
        }
    }

    [Fact]
    public void Create_SmallerThanHeader_HeaderAndEmptyBody()
    {
        var message = BenchMessage.Create("a@example.org", "b@example.org", 10);

        Assert.EndsWith("\r\n\r\n\r\n", Encoding.ASCII.GetString(message), StringComparison.Ordinal);
    }
}
