using System.Runtime.InteropServices;
using Butterfly.Filters;

namespace Butterfly.Examples.ListFilter;

/// <summary>
/// Example filter: a Thwonk-style mailing list. It registers no stage, only a claim on the list
/// address (protocol/filter.md, "Claimed addresses"), and answers each post with one injected
/// copy per member and a discard of the original.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ListOptions options;
        try
        {
            options = ListOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"list filter: {e.Message}");
            Console.Error.WriteLine(ListOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(ListOptions.Usage);
            return 0;
        }

        var handler = new ListHandler(options.List, new MemberList(options.Members));
        var client = new FilterClientOptions
        {
            SocketPath = options.Socket,
            Name = options.Name,
            Stages = [],
            Claims = [options.List],
            Actions = ["accept", "reject", "discard", "inject"],
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
