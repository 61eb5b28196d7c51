using System.Globalization;
using Butterfly.Server.Dns.Internal;
using DnsClient;
using DnsClient.Protocol;

namespace Butterfly.Server.Dns;

/// <summary>One question to DnsClient, and how its reply is judged.</summary>
public sealed partial class DnsResolver
{
    private const int MaxCnameHops = 16;

    /// <summary>
    /// Asks for <paramref name="type"/> records of <paramref name="name"/> (already normalized). NOERROR and NXDOMAIN
    /// are answers; every other outcome is a <see cref="DnsException"/>.
    /// </summary>
    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, CancellationToken ct)
        where T : DnsResourceRecord
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, ct);
        }
        catch (Exception e) when (e is DnsResponseException or DnsXidMismatchException or DnsResponseParseException)
        {
            // DnsClient reports the caller's own cancellation as a timeout; give the caller what it asked for.
            ct.ThrowIfCancellationRequested();
            throw Failure(name, type, Describe(e), e);
        }

        // DnsClient matches replies by id only; a reply to some other question is not an answer to this one.
        if (response.Questions is not [var question]
            || question.QuestionType != type
            || !DnsName.Same(OwnerName(question.QueryName), name))
        {
            throw Failure(name, type, $"{response.NameServer} sent a reply to another question", null);
        }

        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => new DnsAnswer<T>(FollowAnswer<T>(response, name), NameExists: true),
            DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer<T>([], NameExists: false),
            var code => throw Failure(name, type, $"{response.NameServer} answered {RcodeName(code)}", null),
        };
    }

    /// <summary>
    /// The records of the asked type that answer <paramref name="name"/>, following the CNAME chain the server put in
    /// the same answer (RFC 1034 §3.6.2). Records for other owners are not part of the answer and are left out.
    /// </summary>
    private static List<T> FollowAnswer<T>(IDnsQueryResponse response, string name)
        where T : DnsResourceRecord
    {
        var current = name;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var found = response.Answers.OfType<T>().Where(r => DnsName.Same(OwnerName(r.DomainName), current)).ToList();
            if (found.Count > 0)
            {
                return found;
            }

            var alias = response.Answers.CnameRecords().FirstOrDefault(r => DnsName.Same(OwnerName(r.DomainName), current));
            if (alias is null)
            {
                break;
            }

            current = alias.CanonicalName.Value;
        }

        return [];
    }

    /// <summary>
    /// A question's or record's owner name as it was on the wire. DnsClient turns A-labels in these into Unicode in
    /// <see cref="DnsString.Value"/> and keeps the wire form in <see cref="DnsString.Original"/>; names inside
    /// records (targets, exchanges, CNAMEs) it keeps in ASCII in <see cref="DnsString.Value"/>.
    /// </summary>
    private static string OwnerName(DnsString name) => name.Original;

    private DnsException Failure(string name, QueryType type, string details, Exception? inner) =>
        new(name, type.ToString(), Servers, details + ".", inner);

    private string Describe(Exception e) => e switch
    {
        DnsResponseException { Code: DnsResponseCode.ConnectionTimeout } =>
            $"no reply from {string.Join(", ", Servers)} within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({_attempts} {(_attempts == 1 ? "attempt" : "attempts")} each)",
        DnsXidMismatchException => "a reply did not carry the query's id (late or forged)",
        DnsResponseParseException => "a server sent a malformed reply",
        _ when e.InnerException is { } cause => $"{e.Message} ({cause.Message})",
        _ => e.Message,
    };

    private static string RcodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => $"RCODE {(int)code}",
    };
}
