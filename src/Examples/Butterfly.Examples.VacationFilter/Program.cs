using System.Runtime.InteropServices;
using System.Text.Json;
using Butterfly.Filters;

namespace Butterfly.Examples.VacationFilter;

/// <summary>
/// Example filter: a vacation responder on the inbound stage. It accepts every message and
/// injects an automatic reply from each vacationing recipient, once per sender and period.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        VacationOptions options;
        VacationState state;
        try
        {
            options = VacationOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(VacationOptions.Usage);
                return 0;
            }

            state = new VacationState(options.State, options.Period);
        }
        catch (Exception e) when (e is ArgumentException or IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"vacation filter: {e.Message}");
            Console.Error.WriteLine(VacationOptions.Usage);
            return 2;
        }

        var handler = new VacationHandler(options.Accounts, options.Message, state, TimeProvider.System);
        var client = new FilterClientOptions
        {
            SocketPath = options.Socket,
            Name = options.Name,
            Stages = ["inbound"],
            Actions = ["accept", "inject"],
        };
        return await RunAsync(client, handler.HandleAsync);
    }

    private static async Task<int> RunAsync(FilterClientOptions client, FilterHandler handler)
    {
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stop));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stop));
        var announced = 0;
        FilterHost.Registered += _ =>
        {
            if (Interlocked.Exchange(ref announced, 1) == 0)
            {
                Console.WriteLine($"filter {client.Name}: registered");
            }
        };
        try
        {
            await FilterHost.RunAsync(client, handler, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGTERM: a clean exit.
        }
        catch (FilterRegistrationException e)
        {
            Console.Error.WriteLine($"filter {client.Name}: registration refused: {e.Message}");
            return 1;
        }

        return 0;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
