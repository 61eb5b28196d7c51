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

            state = VacationState.Open(options.State);
        }
        catch (Exception e) when (e is ArgumentException or IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"vacation filter: {e.Message}");
            Console.Error.WriteLine(VacationOptions.Usage);
            return 2;
        }

        var handler = new VacationHandler(options.Accounts, options.Message, options.Period, state, TimeProvider.System);
        var client = new FilterClientOptions
        {
            SocketPath = options.Socket,
            Name = options.Name,
            Stages = ["inbound"],
            Actions = ["accept", "inject"],
        };
        return await FilterConsole.RunAsync(client, handler.HandleAsync);
    }
}
