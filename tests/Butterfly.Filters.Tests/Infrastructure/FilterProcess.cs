using Butterfly.TestUtilities;

namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>Starts an example filter daemon as a real child process (<see cref="FilterChildProcess"/>).</summary>
internal static class FilterProcess
{
    /// <summary>Starts <paramref name="command"/> with the socket and name options and more arguments, and waits until it registered.</summary>
    public static Task<FilterChildProcess> StartAsync(FilterCommand command, string socket, string name, params string[] args) =>
        FilterChildProcess.StartAsync(command.FileName, [.. command.Arguments, "--socket", socket, "--name", name, .. args], name);
}
