using System.Runtime.InteropServices;
using Butterfly.FilterProbe;
using Butterfly.Filters;

ProbeOptions probe;
try
{
    probe = ProbeOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync("probe: " + ex.Message + Environment.NewLine + ProbeOptions.Usage);
    return 2;
}

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
FilterHost.Registered += name =>
{
    if (Interlocked.Exchange(ref registered, 1) == 0)
    {
        Console.WriteLine($"filter {name}: registered");
    }
};

var options = new FilterClientOptions
{
    SocketPath = probe.Socket,
    Name = probe.Name,
    Stages = probe.Stages,
    Claims = probe.Claims,
    Connections = probe.Connections,
    MaxInFlight = probe.MaxInFlight,
    ReconnectDelay = TimeSpan.FromMilliseconds(200),
};
if (probe.Actions is not null)
{
    options.Actions = probe.Actions;
}

var logLock = new Lock();
try
{
    await FilterHost.RunAsync(options, async (message, context, ct) =>
    {
        if (probe.ExitOnMessage)
        {
            Log(Instruction.LogLine(probe.Name, message, "exit"));
            Environment.Exit(3);
        }

        if (probe.DelayMs > 0)
        {
            await Task.Delay(probe.DelayMs, ct);
        }

        var (verdict, kind) = await Instruction.DecideAsync(probe.Name, message, context, ct);
        Log(Instruction.LogLine(probe.Name, message, kind));
        return verdict;
    }, stop.Token);
}
catch (FilterRegistrationException ex)
{
    await Console.Error.WriteLineAsync($"filter {probe.Name}: registration refused: {ex.Code}: {ex.Message}");
    return 1;
}

Console.WriteLine($"filter {probe.Name}: stopped");
return 0;

void Log(string line)
{
    if (probe.Log is null)
    {
        return;
    }

    lock (logLock)
    {
        File.AppendAllText(probe.Log, line + Environment.NewLine);
    }
}
