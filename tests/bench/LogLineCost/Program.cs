using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The per-delivery line of Butterfly.Server/Telemetry/DeliveryLog, logged the way the daemon logs it (the
// console logger, single-line text with a UTC timestamp and the session scope, or JSON), N times from
// one thread, with the line on and with its category filtered out. Prints the wall time per call and
// the whole process's CPU time per call (the console logger formats on the caller's thread and writes
// on its own thread, so both count). Run with stdout sent to a file or /dev/null.
var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var format = args.Length > 1 ? args[1] : "text";
foreach (var on in new[] { true, false, true, false })
{
    var (wall, cpu) = Measure(calls, format, on);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{format,-4} line {(on ? "on " : "off")}: {wall:0.000} µs wall, {cpu:0.000} µs CPU per call ({calls:N0} calls)"));
}

static (double Wall, double Cpu) Measure(int calls, string format, bool on)
{
    using var services = new ServiceCollection().AddLogging(logging =>
    {
        if (format == "json")
        {
            logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        }
        else
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff "; });
        }

        logging.SetMinimumLevel(LogLevel.Information);
        if (!on)
        {
            logging.AddFilter("Butterfly.Delivered", LogLevel.Warning);
        }
    }).BuildServiceProvider();
    var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Delivered");
    using var scope = logger.BeginScope("session {SessionId} {Remote}", "01a2295d3257710f89bafb9c323e2861", "127.0.0.1:53412");
    for (var i = 0; i < calls / 10; i++)
    {
        Log.Delivered(logger, "01a2295d3257710f89bafb9c323e2861", "client", "alice@localhost", 1, "accepted", 10240, 12.345);
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        Log.Delivered(logger, "01a2295d3257710f89bafb9c323e2861", "client", "alice@localhost", 1, "accepted", 10240, 12.345);
    }

    // Disposing the provider drains the console logger's queue: its writing counts too.
    services.Dispose();
    var wall = Stopwatch.GetElapsedTime(started);
    var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    return (wall.TotalMicroseconds / calls, used.TotalMicroseconds / calls);
}

internal static partial class Log
{
    // The same message and arguments as DeliveryLog.Delivered.
    [LoggerMessage(EventId = 1000, EventName = "Delivered", Level = LogLevel.Information,
        Message = "Delivery {DeliveryId} from {Source} <{Sender}> to {Recipients} recipient(s): {Outcome}, {Bytes} bytes, {Milliseconds} ms")]
    public static partial void Delivered(ILogger logger, string deliveryId, string source, string sender, int recipients, string outcome, long bytes, double milliseconds);
}
