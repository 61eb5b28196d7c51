using Butterfly.Cli.Commands;

using var interrupt = new CancellationTokenSource();

// The daemon handles SIGINT itself; client commands stop at the next await.
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupt.Cancel();
    }
};

return await CliApp.RunAsync(args, CommandContext.FromConsole(interrupt.Token));
