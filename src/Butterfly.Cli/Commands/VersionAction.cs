using System.CommandLine;
using System.CommandLine.Invocation;
using Butterfly.Protocol;

namespace Butterfly.Cli.Commands;

/// <summary>
/// <c>butterfly --version</c>: the build's version, the same one the server puts in hello replies
/// and Received: fields (System.CommandLine's own would print the entry assembly's, with the commit).
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine("butterfly " + ButterflyVersion.Current);
        return ExitCodes.Ok;
    }
}
