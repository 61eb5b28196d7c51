using System.CommandLine;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Client;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Addresses;

/// <summary>
/// <c>butterfly mailing-list create|add|remove|show|policy|delete</c>: distribution lists. The operator's
/// commands go through the running daemon (or the data folder when none runs); with <c>--as-owner</c>,
/// <c>add</c>, <c>remove</c>, <c>show</c> and <c>policy</c> go over the client protocol as the list's
/// owner (--server, --user, --password).
/// </summary>
internal static class MailingListCommands
{
    private const string Policies = "members (only members may post, the default), anyone, or owner (only the owner)";

    public static Command Build(CommandContext context, CommonOptions o)
    {
        var asOwner = new Option<bool>("--as-owner")
        {
            Description = "act as the list's owner over the client protocol (--server, --user, --password) instead of as the operator",
        };
        return new("mailing-list", "distribution lists: the operator's commands, or an owner's with --as-owner")
        {
            Create(context, o),
            Member(context, o, asOwner, "add", "add a member (local or remote address)", Names.ListAdd, (c, l, m, ct) => c.AddListMemberAsync(l, m, ct)),
            Member(context, o, asOwner, "remove", "remove a member", Names.ListRemove, (c, l, m, ct) => c.RemoveListMemberAsync(l, m, ct)),
            Show(context, o, asOwner),
            Policy(context, o, asOwner),
            Delete(context, o),
        };
    }

    private static Command Create(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var owner = new Option<string>("--owner") { Description = "the account that owns the list", HelpName = "ACCOUNT", Required = true, Validators = { Values.NotBlank } };
        var policy = PolicyOption();
        var command = new Command("create", "create a list on a served domain, with no members") { address, owner, policy, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => OperatorAsync(context, StoreAccess.Args(parse, o), Names.ListCreate, w =>
        {
            w.WriteString("address"u8, parse.GetValue(address));
            w.WriteString("owner"u8, parse.GetValue(owner));
            w.WriteString("policy"u8, parse.GetValue(policy));
        }, parse.GetValue(o.Json), "created"));
        return command;
    }

    private static Command Member(
        CommandContext context,
        CommonOptions o,
        Option<bool> asOwner,
        string name,
        string description,
        string control,
        Func<ButterflyClient, string, string, CancellationToken, Task<MailingListInfo>> client)
    {
        var address = Address();
        var member = new Argument<string>("MEMBER") { Description = "the member's address, local or remote", Validators = { Values.NotBlank } };
        var command = new Command(name, description) { address, member, asOwner, o.Json };
        StoreAccess.AddOptions(command, o);
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => parse.GetValue(asOwner)
            ? OwnerAsync(context, o.Connection(parse), c => client(c, parse.GetValue(address)!, parse.GetValue(member)!, context.CancellationToken), parse.GetValue(o.Json))
            : OperatorAsync(context, StoreAccess.Args(parse, o), control, w =>
            {
                w.WriteString("address"u8, parse.GetValue(address));
                w.WriteString("member"u8, parse.GetValue(member));
            }, parse.GetValue(o.Json), null));
        return command;
    }

    private static Command Show(CommandContext context, CommonOptions o, Option<bool> asOwner)
    {
        var address = Address();
        var command = new Command("show", "show a list: owner, policy, members") { address, asOwner, o.Json };
        StoreAccess.AddOptions(command, o);
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => parse.GetValue(asOwner)
            ? OwnerAsync(context, o.Connection(parse), c => c.GetMailingListAsync(parse.GetValue(address)!, context.CancellationToken), parse.GetValue(o.Json))
            : OperatorAsync(context, StoreAccess.Args(parse, o), Names.ListShow, w => w.WriteString("address"u8, parse.GetValue(address)), parse.GetValue(o.Json), null));
        return command;
    }

    private static Command Policy(CommandContext context, CommonOptions o, Option<bool> asOwner)
    {
        var address = Address();
        var policy = new Argument<string>("POLICY") { Description = Policies };
        policy.AcceptOnlyFromAmong("members", "anyone", "owner");
        var command = new Command("policy", "change who may post to a list") { address, policy, asOwner, o.Json };
        StoreAccess.AddOptions(command, o);
        o.AddConnection(command);
        CliAction.Set(command, context, o, parse => parse.GetValue(asOwner)
            ? OwnerAsync(context, o.Connection(parse), c => c.SetListPolicyAsync(parse.GetValue(address)!, parse.GetValue(policy)!, context.CancellationToken), parse.GetValue(o.Json))
            : OperatorAsync(context, StoreAccess.Args(parse, o), Names.ListPolicy, w =>
            {
                w.WriteString("address"u8, parse.GetValue(address));
                w.WriteString("policy"u8, parse.GetValue(policy));
            }, parse.GetValue(o.Json), null));
        return command;
    }

    private static Command Delete(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("delete", "delete a list with its members") { address, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => OperatorAsync(
            context, StoreAccess.Args(parse, o), Names.ListDelete, w => w.WriteString("address"u8, parse.GetValue(address)), parse.GetValue(o.Json), "deleted"));
        return command;
    }

    private static Argument<string> Address() => new("ADDRESS") { Description = "the list's address, local@domain", Validators = { Values.NotBlank } };

    private static Option<string> PolicyOption()
    {
        var policy = new Option<string>("--policy") { Description = Policies, HelpName = "POLICY", DefaultValueFactory = _ => "members" };
        policy.AcceptOnlyFromAmong("members", "anyone", "owner");
        return policy;
    }

    private static async Task<int> OperatorAsync(CommandContext context, StoreArgs storeArgs, string command, Action<Utf8JsonWriter> fields, bool json, string? verb)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(command, fields, context.CancellationToken);
        if (json)
        {
            await OperatorReply.WriteAsync(context.Out, reply);
            return ExitCodes.Ok;
        }

        await PrintAsync(
            context,
            new MailingListInfo(
                reply.GetProperty("address").GetString()!,
                reply.GetProperty("owner").GetString()!,
                reply.GetProperty("policy").GetString()!,
                [.. OperatorReply.Strings(reply, "members")]),
            verb);
        return ExitCodes.Ok;
    }

    private static async Task<int> OwnerAsync(CommandContext context, ConnectionArgs connection, Func<ButterflyClient, Task<MailingListInfo>> call, bool json)
    {
        await using var client = await MailConnection.LoginAsync(context, connection);
        var list = await call(client);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("address"u8, list.Address);
                w.WriteString("owner"u8, list.Owner);
                w.WriteString("policy"u8, list.Policy);
                JsonOutput.WriteStrings(w, "members", list.Members);
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await PrintAsync(context, list, null);
        return ExitCodes.Ok;
    }

    private static async Task PrintAsync(CommandContext context, MailingListInfo list, string? verb)
    {
        await context.Out.WriteLineAsync($"{(verb is null ? string.Empty : verb + " ")}{list.Address} (owner {list.Owner}, posts: {list.Policy})");
        if (verb == "deleted")
        {
            return;
        }

        foreach (var member in list.Members)
        {
            await context.Out.WriteLineAsync($"  {member}");
        }
    }
}
