using System.CommandLine;
using System.CommandLine.Parsing;

namespace Butterfly.Filters;

/// <summary>
/// The command line of a filter daemon, on System.CommandLine: the options every filter has
/// (<c>--socket</c>, <c>--name</c>), <c>--help</c>, and exit code 2 for a usage error. A filter adds
/// its own options with <see cref="Add{T}"/> and runs with <see cref="RunAsync"/>:
/// <code>
/// var cli = new FilterCommandLine("spam", "Scores each inbound message.");
/// var threshold = cli.Add(new Option&lt;double&gt;("--threshold") { DefaultValueFactory = _ =&gt; 5 });
/// return await cli.RunAsync(args, (result, options) =&gt; Handler(result.GetValue(threshold)));
/// </code>
/// </summary>
public sealed class FilterCommandLine
{
    /// <summary>The exit code of a usage error (an unknown option, a missing or malformed value).</summary>
    public const int UsageError = 2;

    /// <summary>Creates the command with <c>--socket</c> (required) and <c>--name</c>.</summary>
    /// <param name="defaultName">The filter's name when <c>--name</c> is not given.</param>
    /// <param name="description">What the filter does, shown by <c>--help</c>.</param>
    public FilterCommandLine(string defaultName, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultName);
        Socket = new Option<string>("--socket")
        {
            Description = "the daemon's filter socket (filterSocket.path in butterfly.json)",
            HelpName = "PATH",
            Required = true,
        };
        Name = new Option<string>("--name")
        {
            Description = "this filter's name in butterfly.json \"filters\"",
            HelpName = "NAME",
            DefaultValueFactory = _ => defaultName,
        };
        Command = new RootCommand(description) { Socket, Name };
    }

    /// <summary>The root command, for anything <see cref="Add{T}"/> does not cover.</summary>
    public RootCommand Command { get; }

    /// <summary><c>--socket PATH</c>: the server's filter socket.</summary>
    public Option<string> Socket { get; }

    /// <summary><c>--name NAME</c>: the filter's name in the server's configuration.</summary>
    public Option<string> Name { get; }

    /// <summary>Adds a filter's own option.</summary>
    /// <typeparam name="T">The option's value type.</typeparam>
    /// <param name="option">The option.</param>
    /// <returns><paramref name="option"/>, to read its value from the parse result.</returns>
    public Option<T> Add<T>(Option<T> option)
    {
        Command.Options.Add(option);
        return option;
    }

    /// <summary>
    /// A <see cref="Option{T}.CustomParser"/> for an option naming a file the filter reads once at
    /// start (a word list, a state file): <paramref name="load"/> reads it, and a file that is
    /// missing, unreadable or malformed (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>,
    /// <see cref="FormatException"/>) is a usage error naming the option, reported with any others.
    /// </summary>
    /// <typeparam name="T">What the file holds.</typeparam>
    /// <param name="load">Reads the file at the given path.</param>
    public static Func<ArgumentResult, T?> FileParser<T>(Func<string, T> load)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(load);
        return result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            try
            {
                return load(result.Tokens[^1].Value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                result.AddError($"{(result.Parent as OptionResult)?.Option.Name}: {e.Message}");
                return null;
            }
        };
    }

    /// <summary>The client options the common options give: the socket path and the name.</summary>
    /// <param name="result">A parse without errors.</param>
    public FilterClientOptions ClientOptions(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new FilterClientOptions { SocketPath = result.GetRequiredValue(Socket), Name = result.GetValue(Name) ?? string.Empty };
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the filter with <see cref="FilterConsole.RunAsync"/>.
    /// <paramref name="setup"/> gets the parse and the client options built from <c>--socket</c>
    /// and <c>--name</c>, sets what else the filter registers (stages, claims, actions) and returns
    /// the handler.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="setup">Builds the handler.</param>
    /// <returns>The exit code: 0 after a signal or for <c>--help</c>, 1 when the registration was refused, 2 for a usage error.</returns>
    public Task<int> RunAsync(string[] args, Func<ParseResult, FilterClientOptions, FilterHandler> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return InvokeAsync(args, result =>
        {
            var options = ClientOptions(result);
            return FilterConsole.RunAsync(options, setup(result, options));
        });
    }

    /// <summary>
    /// Parses <paramref name="args"/>: usage errors go to stderr with exit code 2, <c>--help</c> and
    /// <c>--version</c> print and return 0, and otherwise <paramref name="run"/> runs. For a program
    /// that drives <see cref="FilterHost"/> itself.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="run">Runs the filter with a parse that has no errors; returns the exit code.</param>
    public async Task<int> InvokeAsync(string[] args, Func<ParseResult, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(run);
        var result = Command.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"{Command.Name}: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"Run '{Command.Name} --help' to see the options.").ConfigureAwait(false);
            return UsageError;
        }

        Command.SetAction((parsed, _) => run(parsed));

        // FilterConsole handles SIGTERM and SIGINT itself, to stop the filter cleanly: System.CommandLine must not.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
