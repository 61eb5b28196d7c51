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

        var handler = new ListHandler(options.List, new MemberList(options.Members), TimeProvider.System);
        var client = new FilterClientOptions
        {
            SocketPath = options.Socket,
            Name = options.Name,
            Stages = [],
            Claims = [options.List],
            Actions = ["accept", "reject", "discard", "inject"],
        };
        return await FilterConsole.RunAsync(client, handler.HandleAsync);
    }
}
