using System.Runtime.InteropServices;

namespace Butterfly.Filters;

/// <summary>
/// Runs a filter as a console daemon: <see cref="FilterHost.RunAsync"/> until SIGTERM or SIGINT,
/// printing <c>filter NAME: registered</c> once the first connection has registered (what scripts and
/// tests wait for) and the reason on stderr when the server refuses the registration.
/// </summary>
public static class FilterConsole
{
    /// <summary>Serves <paramref name="handler"/> until the process is told to stop.</summary>
    /// <param name="options">Where to connect and what to register.</param>
    /// <param name="handler">Decides each message.</param>
    /// <returns>The exit code: 0 after a signal, 1 when the registration was refused.</returns>
    public static async Task<int> RunAsync(FilterClientOptions options, FilterHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stop));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stop));
        var announced = 0;
        void Announce(string _)
        {
            if (Interlocked.Exchange(ref announced, 1) == 0)
            {
                Console.WriteLine($"filter {options.Name}: registered");
            }
        }

        FilterHost.Registered += Announce;
        try
        {
            await FilterHost.RunAsync(options, handler, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGTERM or SIGINT: a clean exit.
        }
        catch (FilterRegistrationException e)
        {
            await Console.Error.WriteLineAsync($"filter {options.Name}: registration refused: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            FilterHost.Registered -= Announce;
        }

        return 0;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Handled here: the process ends when the filter has stopped, not at once.
        context.Cancel = true;
        stop.Cancel();
    }
}
