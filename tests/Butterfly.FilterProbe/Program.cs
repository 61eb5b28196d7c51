using System.CommandLine;
using System.Runtime.InteropServices;
using Butterfly.FilterProbe;
using Butterfly.Filters;

var probe = new ProbeCommandLine();
return await probe.Cli.InvokeAsync(args, RunAsync);

async Task<int> RunAsync(ParseResult result)
{
    var options = probe.Cli.ClientOptions(result);
    options.Stages = [.. result.GetValue(probe.Stages) ?? []];
    options.Claims = [.. result.GetValue(probe.Claims) ?? []];
    options.Connections = result.GetValue(probe.Connections);
    options.MaxInFlight = result.GetValue(probe.MaxInFlight);
    options.ReconnectDelay = TimeSpan.FromMilliseconds(200);
    options.Actions = [.. result.GetValue(probe.Actions) ?? []];

    var name = options.Name;
    var delayMs = result.GetValue(probe.DelayMs);
    var exitOnMessage = result.GetValue(probe.ExitOnMessage);
    var log = result.GetValue(probe.Log);

    using var stop = new CancellationTokenSource();
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

    var registered = 0;
    FilterHost.Registered += registeredName =>
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            Console.WriteLine($"filter {registeredName}: registered");
        }
    };

    var logLock = new Lock();
    void Log(string line)
    {
        if (log is null)
        {
            return;
        }

        lock (logLock)
        {
            File.AppendAllText(log, line + Environment.NewLine);
        }
    }

    try
    {
        await FilterHost.RunAsync(options, async (message, context, ct) =>
        {
            if (exitOnMessage)
            {
                Log(Instruction.LogLine(name, message, "exit"));
                Environment.Exit(3);
            }

            if (delayMs > 0)
            {
                // Tests wait for this line to know a request is outstanding.
                Console.WriteLine($"filter {name}: holding {message.Subject}");
                await Task.Delay(delayMs, ct);
            }

            var (verdict, kind) = await Instruction.DecideAsync(name, message, context, ct);
            Log(Instruction.LogLine(name, message, kind));
            return verdict;
        }, stop.Token);
    }
    catch (FilterRegistrationException ex)
    {
        await Console.Error.WriteLineAsync($"filter {name}: registration refused: {ex.Code}: {ex.Message}");
        return 1;
    }

    Console.WriteLine($"filter {name}: stopped");
    return 0;
}
