using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Filters;

namespace Butterfly.FilterProbe;

/// <summary>
/// What a message asks the probe to answer, read from its <c>X-Probe-NAME</c> field (or
/// <c>X-Probe</c> for every probe), e.g.
/// <c>{"verdict":"reject","code":"probe.no","reason":"no","times":1,"delayMs":0,"exit":false,
/// "headers":[{"op":"add","name":"X-A","value":"1"}],"replace":"Subject: new\r\n\r\nbody\r\n",
/// "recipients":{"add":[],"remove":[]},"file":[{"recipient":"*","folder":"Lists"}],
/// "flags":[{"recipient":"*","flags":["seen"]}],"inject":[{"sender":"a@x","recipients":["b@x"],"text":"...","copy":false}],
/// "query":"bob@example.org"}</c>. With <c>times</c>, the verdict holds for that many requests of
/// the message (by Message-ID) and the probe accepts afterwards.
/// </summary>
internal static class Instruction
{
    private static readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public static async Task<(Verdict Verdict, string Kind)> DecideAsync(string name, FilterMessage message, FilterContext context, CancellationToken ct)
    {
        var headers = message.Mime.Headers;
        var text = headers["X-Probe-" + name] ?? headers["X-Probe"];
        if (text is null)
        {
            return (Verdict.Accept(), "accept");
        }

        var json = JsonNode.Parse(text)!.AsObject();
        var times = json["times"]?.GetValue<int>();
        if (times is not null)
        {
            var key = message.MessageId ?? message.Subject ?? string.Empty;
            int count;
            lock (_seen)
            {
                count = _seen[key] = _seen.GetValueOrDefault(key) + 1;
            }

            if (count > times)
            {
                return (Verdict.Accept(), "accept");
            }
        }

        if (json["delayMs"]?.GetValue<int>() is { } delay)
        {
            await Task.Delay(delay, ct);
        }

        if (json["exit"]?.GetValue<bool>() == true)
        {
            // A crash in the middle of a request: no answer, the connection drops.
            Environment.Exit(3);
        }

        var kind = json["verdict"]?.GetValue<string>() ?? "accept";
        var verdict = kind switch
        {
            "reject" => Verdict.Reject(json["reason"]?.GetValue<string>() ?? "probe says no", json["code"]?.GetValue<string>()),
            "tempfail" => Verdict.TempFail(json["reason"]?.GetValue<string>() ?? "probe says later", json["code"]?.GetValue<string>()),
            "discard" => Verdict.Discard(),
            "quarantine" => json["folder"] is { } folder ? Verdict.Quarantine(folder.GetValue<string>()) : Verdict.Quarantine(),
            _ => Verdict.Accept(),
        };

        if (json["replace"]?.GetValue<string>() is { } replace)
        {
            verdict.ReplaceMessage(Encoding.UTF8.GetBytes(replace));
        }

        foreach (var op in Array(json, "headers"))
        {
            var index = op["index"]?.GetValue<int>() ?? 1;
            var field = op["name"]!.GetValue<string>();
            switch (op["op"]?.GetValue<string>())
            {
                case "add": verdict.AddHeader(field, op["value"]!.GetValue<string>()); break;
                case "change": verdict.ChangeHeader(field, op["value"]!.GetValue<string>(), index); break;
                default: verdict.DeleteHeader(field, index); break;
            }
        }

        if (json["recipients"] is JsonObject recipients)
        {
            foreach (var address in Array(recipients, "add"))
            {
                verdict.AddRecipient(address.GetValue<string>());
            }

            foreach (var address in Array(recipients, "remove"))
            {
                verdict.RemoveRecipient(address.GetValue<string>());
            }
        }

        foreach (var file in Array(json, "file"))
        {
            verdict.FileInto(file["recipient"]?.GetValue<string>() ?? "*", file["folder"]!.GetValue<string>());
        }

        foreach (var flags in Array(json, "flags"))
        {
            verdict.SetFlags(flags["recipient"]?.GetValue<string>() ?? "*", [.. Array(flags, "flags").Select(f => f.GetValue<string>())]);
        }

        foreach (var inject in Array(json, "inject"))
        {
            // "copy": the message itself, X-Probe field included, so a copy sent back here loops.
            var raw = inject["copy"]?.GetValue<bool>() == true
                ? message.Raw
                : Encoding.UTF8.GetBytes(inject["text"]?.GetValue<string>() ?? "Subject: injected\r\n\r\ninjected\r\n");
            verdict.Inject(
                inject["sender"]?.GetValue<string>() ?? string.Empty,
                [.. Array(inject, "recipients").Select(r => r.GetValue<string>())],
                raw);
        }

        if (json["query"]?.GetValue<string>() is { } query)
        {
            var exists = await context.AccountExistsAsync(query, ct);
            var server = await context.GetServerInfoAsync(ct);
            verdict.AddHeader("X-Probe-Account", $"{query}={(exists ? "yes" : "no")}");
            verdict.AddHeader("X-Probe-Server", $"{server.Name} [{string.Join(" ", server.Domains)}] {server.Version}");
        }

        return (verdict, kind);
    }

    private static IEnumerable<JsonNode> Array(JsonNode json, string name) =>
        json[name] is JsonArray array ? array.Where(n => n is not null).Select(n => n!) : [];

    /// <summary>One log line per request, JSON, for the tests to read.</summary>
    public static string LogLine(string name, FilterMessage message, string verdict) =>
        new JsonObject
        {
            ["name"] = name,
            ["stage"] = message.Stage,
            ["verdict"] = verdict,
            ["sender"] = message.Sender,
            ["recipients"] = new JsonArray([.. message.Recipients.Select(r => (JsonNode)r)]),
            ["origin"] = message.Origin,
            ["hops"] = message.Hops,
            ["subject"] = message.Subject,
            ["messageId"] = message.MessageId,
        }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
