using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>
/// ARSoft.Tools.Net's resolver interface over the server's own (<see cref="Dns.IDnsResolver"/>, DnsClient with
/// <c>dns.servers</c>, its cache and its timeouts), so that ARSoft's RFC 7208 evaluator runs on the one
/// resolver the server has rather than a second stub resolver of its own. SPF asks for TXT, A, AAAA and MX;
/// PTR (the <c>ptr</c> mechanism and <c>%{p}</c>, which RFC 7208 §5.5 says not to use) is answered as empty,
/// so <c>ptr</c> never matches. A lookup the server's resolver cannot answer throws, which ARSoft turns into
/// <c>temperror</c>.
/// </summary>
internal sealed class ArsoftDnsResolver(Dns.IDnsResolver dns) : IDnsResolver
{
    public List<T> Resolve<T>(DomainName name, RecordType recordType = RecordType.A, RecordClass recordClass = RecordClass.INet)
        where T : DnsRecordBase =>
        ResolveAsync<T>(name, recordType, recordClass).GetAwaiter().GetResult();

    public async Task<List<T>> ResolveAsync<T>(DomainName name, RecordType recordType = RecordType.A, RecordClass recordClass = RecordClass.INet, CancellationToken token = default)
        where T : DnsRecordBase
    {
        var host = name.ToString().TrimEnd('.');
        var records = new List<DnsRecordBase>();
        switch (recordType)
        {
            case RecordType.Txt:
                foreach (var text in await dns.ResolveTxtAsync(host, token))
                {
                    records.Add(new TxtRecord(name, 0, [text]));
                }

                break;

            case RecordType.A:
            case RecordType.Aaaa:
                var family = recordType == RecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                foreach (var address in await dns.ResolveAddressesAsync(host, token))
                {
                    if (address.AddressFamily == family)
                    {
                        records.Add(recordType == RecordType.A ? new ARecord(name, 0, address) : new AaaaRecord(name, 0, address));
                    }
                }

                break;

            case RecordType.Mx:
                // Only published MX records: RFC 7208 §5.4 has no implicit MX.
                var mx = await dns.ResolveMxAsync(host, token);
                if (mx.Status == Dns.MxStatus.Found)
                {
                    foreach (var target in mx.Hosts)
                    {
                        records.Add(new MxRecord(name, 0, (ushort)target.Preference, DomainName.Parse(target.Host)));
                    }
                }

                break;
        }

        return [.. records.OfType<T>()];
    }

    public void ClearCache()
    {
    }

    public void Dispose()
    {
    }
}
