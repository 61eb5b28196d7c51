using System.Text;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, a scripted stdin and a fake environment.</summary>
public sealed class CliHarness
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public string Stdin { get; set; } = "";

    public MemoryStream RawStdout { get; } = new();

    public CliHarness Env(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    /// <summary>The words of every command that runs something (groups excluded), e.g. <c>user add</c>.</summary>
    public static IReadOnlyList<string[]> LeafCommands()
    {
        var root = CliApp.Build(new CommandContext
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            In = TextReader.Null,
            OpenStandardOutput = () => Stream.Null,
            OpenStandardInput = () => Stream.Null,
            Environment = _ => null,
        });
        var leaves = new List<string[]>();
        Walk(root, []);
        return leaves;

        void Walk(System.CommandLine.Command command, string[] words)
        {
            foreach (var sub in command.Subcommands)
            {
                string[] path = [.. words, sub.Name];
                if (sub.Subcommands.Count == 0)
                {
                    leaves.Add(path);
                }

                Walk(sub, path);
            }
        }
    }

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CommandContext
        {
            Out = output,
            Error = error,
            In = new StringReader(Stdin),
            InputRedirected = true,
            OpenStandardOutput = () => new NonClosingStream(RawStdout),
            OpenStandardInput = () => new MemoryStream(Encoding.UTF8.GetBytes(Stdin)),
            Environment = name => _environment.GetValueOrDefault(name),
        };
        var code = await CliApp.RunAsync(args, context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
