using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Server.Filters;

/// <summary>The requests a filter sends: hello, filter.register, filter.account, filter.server.</summary>
internal sealed partial class FilterConnection
{
    private const int MaxFilterInFlight = 1024;

    /// <summary>Every action a filter may declare (filter.md, "filter.register").</summary>
    private static readonly string[] AllActions =
        ["accept", "reject", "tempfail", "discard", "quarantine", "file", "flags", "headers", "replace", "recipients", "inject"];

    private static readonly string[] FilterCapabilities = ["filter"];

    private async Task HandleRequestAsync(ulong tag, JsonDocument document)
    {
        Reply reply;
        using (document)
        {
            var head = document.RootElement;
            var cmd = head.GetProperty("cmd"u8).GetString();
            try
            {
                reply = cmd switch
                {
                    ProtocolCommands.Hello => Hello(head),
                    _ when !_hello => Reply.Fail(ErrorCode.RequestInvalid, "Say hello first (protocol/filter.md, \"Hello\")."),
                    ProtocolCommands.FilterRegister => await RegisterAsync(head),
                    ProtocolCommands.FilterAccount => await AccountAsync(head),
                    ProtocolCommands.FilterServer => ServerReply(),
                    _ => Reply.Fail(ErrorCode.RequestUnknownCommand, $"Unknown filter command '{(cmd!.Length > 64 ? cmd[..64] : cmd)}'."),
                };
            }
            catch (InvalidOperationException)
            {
                reply = Reply.Fail(ErrorCode.RequestInvalid, "A field has the wrong type.");
            }
        }

        await ReplyAsync(tag, reply);
    }

    private Reply Hello(JsonElement head)
    {
        // filter.md, "Hello": the same hello as clients.
        var reply = HelloAnswer.Answer(head, _options, FilterCapabilities, connectionId: null);
        if (reply.Error == ErrorCode.None)
        {
            _hello = true;
        }

        return reply;
    }

    private async Task<Reply> RegisterAsync(JsonElement head)
    {
        // filter.md, "filter.register".
        if (Name is not null)
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"This connection is registered already as '{Name}'.");
        }

        var name = String(head, "name");
        if (string.IsNullOrEmpty(name))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, "\"name\" is required.");
        }

        var config = _options.Filters.Find(f => f.Name == name);
        if (config is null)
        {
            return Reply.Fail(ErrorCode.FilterNotConfigured, $"No filter named '{Printable(name)}' is listed in this server's filters.");
        }

        var stages = Strings(head, "stages") ?? config.Stages;
        var badStage = stages.FirstOrDefault(s => !config.Stages.Contains(s, StringComparer.Ordinal));
        if (badStage is not null)
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"The configuration does not give filter '{name}' the stage '{Printable(badStage)}' (it has: {string.Join(", ", config.Stages)}).");
        }

        var actions = Strings(head, "actions") ?? [.. AllActions];
        var badAction = actions.FirstOrDefault(a => !AllActions.Contains(a, StringComparer.Ordinal));
        if (badAction is not null)
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown action '{Printable(badAction)}'.");
        }

        var maxInFlight = 16;
        if (head.TryGetProperty("maxInFlight"u8, out var max) && (!max.TryGetInt32(out maxInFlight) || maxInFlight < 1 || maxInFlight > MaxFilterInFlight))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"\"maxInFlight\" must be between 1 and {MaxFilterInFlight}.");
        }

        var claims = new List<string>();
        foreach (var claim in Strings(head, "claims") ?? [])
        {
            var refused = await CheckClaimAsync(claim);
            if (refused is not null)
            {
                return Reply.Fail(ErrorCode.FilterClaimRefused, refused);
            }

            Addresses.TryNormalize(claim, out var address, out _);
            if (!claims.Exists(c => Addresses.Key(c) == Addresses.Key(address)))
            {
                claims.Add(address);
            }
        }

        Name = name;
        Stages = stages.ToHashSet(StringComparer.Ordinal);
        Actions = actions.ToHashSet(StringComparer.Ordinal);
        Claims = claims;
        MaxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        if (!_registry.TryAdd(this, out var conflict))
        {
            Name = null;
            return Reply.Fail(ErrorCode.FilterClaimRefused, $"{conflict} is claimed by another filter.");
        }

        _logger.LogInformation(
            "Filter {Name} registered: stages [{Stages}], claims [{Claims}], {MaxInFlight} in flight ({Count} connection(s))",
            name,
            string.Join(", ", Stages),
            string.Join(", ", claims),
            maxInFlight,
            _registry.ConnectionCount(name));
        return JsonReply.Ok(
            new FilterRegisterReply(name, stages, _registry.ClaimsOf(name), config.TimeoutSeconds, config.OnFailure),
            ProtocolJson.Default.FilterRegisterReply);
    }

    private async Task<string?> CheckClaimAsync(string claim)
    {
        // filter.md, "Claimed addresses": on this server's domains, not an account, not another filter's.
        if (!Addresses.TryNormalize(claim, out var address, out var domain))
        {
            return $"'{Printable(claim)}' is not an address.";
        }

        // Names people read (protocol/filter.md, "Claimed addresses"): one script, like accounts.
        if (Butterfly.Storage.NameRules.MixedScriptProblem(address[..address.LastIndexOf('@')]) is { } mixed)
        {
            return mixed;
        }

        if (!_options.IsLocalDomain(domain))
        {
            return $"{address} is not on this server's domains ({string.Join(", ", _options.Domains)}).";
        }

        if (await _store.Accounts.FindAsync(address) is not null)
        {
            return $"{address} is an account.";
        }

        return null;
    }

    private async Task<Reply> AccountAsync(JsonElement head)
    {
        // filter.md, "filter.account".
        var text = String(head, "address");
        if (!Addresses.TryNormalize(text, out var address, out var domain))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, "\"address\" must be an address.");
        }

        var exists = _options.IsLocalDomain(domain) && await _store.Accounts.FindAsync(address) is not null;
        return JsonReply.Ok(new FilterAccountReply(exists), ProtocolJson.Default.FilterAccountReply);
    }

    // filter.md, "filter.server".
    private Reply ServerReply() => JsonReply.Ok(
        new FilterServerReply(_options.EffectiveServerName, _options.Domains, ServerInfo.Version, _options.Limits.MaxHops),
        ProtocolJson.Default.FilterServerReply);

    private static string? String(JsonElement head, string name) =>
        head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? Strings(JsonElement head, string name)
    {
        if (!head.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return [.. value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
    }

    private static string Printable(string text) =>
        new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
