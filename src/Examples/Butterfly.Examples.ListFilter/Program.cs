using System.CommandLine;
using Butterfly.Filters;

namespace Butterfly.Examples.ListFilter;

/// <summary>
/// Example filter: a Thwonk-style mailing list. It registers no stage, only a claim on the list
/// address (protocol/filter.md, "Claimed addresses"), and answers each post with one injected
/// copy per member and a discard of the original.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var cli = new FilterCommandLine("list", """
            A Thwonk-style mailing list: claims the list address; every post from a member is sent to
            each member as a copy with List-Id, Reply-To the list, "[list]" before the subject and the
            text cut to 140 characters; the original is discarded. A message whose subject is
            "subscribe" or "unsubscribe" adds or removes its sender.
            """);
        var list = cli.Add(new Option<string>("--list")
        {
            Description = "the list address to claim (not an account)",
            HelpName = "ADDRESS",
            Required = true,
        });
        list.Validators.Add(r =>
        {
            var address = r.GetValueOrDefault<string>() ?? string.Empty;
            var at = address.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == address.Length - 1)
            {
                r.AddError("--list needs an address such as list@example.org");
            }
        });
        var members = cli.Add(new Option<string>("--members")
        {
            Description = "the members, one address per line (created when absent)",
            HelpName = "FILE",
            Required = true,
        });

        return cli.RunAsync(args, (result, client) =>
        {
            var address = result.GetRequiredValue(list);
            client.Stages = [];
            client.Claims = [address];
            client.Actions = ["accept", "reject", "discard", "inject"];
            return new ListHandler(address, new MemberList(result.GetRequiredValue(members)), TimeProvider.System).HandleAsync;
        });
    }
}
