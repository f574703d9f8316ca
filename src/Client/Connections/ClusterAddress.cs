using System.Net;
using CoS.Distributed.Security.Secrets;

namespace CoS.Distributed.Client.Connections;

/// <summary>Reads the --cluster value: an Azure Storage connection string, or gateway endpoints.</summary>
public static class ClusterAddress
{
    /// <summary>Whether <paramref name="cluster"/> is a connection string: with an account key, a SAS, or the development storage.</summary>
    public static bool IsConnectionString(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Contains('=', StringComparison.Ordinal) && ConnectionStringKeys.Any(k => cluster.Contains(k, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] ConnectionStringKeys = ["AccountName=", "UseDevelopmentStorage=", "TableEndpoint=", "SharedAccessSignature="];

    public static IPEndPoint[] Gateways(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var endpoints = new List<IPEndPoint>();
        foreach (var part in cluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
                throw new ArgumentException(SecretRedactor.Redact($"--cluster '{part}' is neither an Azure Storage connection string nor a gateway 'host:port' (for example localhost:30000)"));
            var host = part[..colon];
            var address = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out var ip) ? ip
                : Resolve(host) ?? throw new ArgumentException($"--cluster host '{host}' does not resolve; check the name, or give its IP address");
            endpoints.Add(new IPEndPoint(address, port));
        }
        return endpoints.Count > 0 ? [.. endpoints] : throw new ArgumentException("--cluster is empty: give a connection string or host:port");
    }

    private static IPAddress? Resolve(string host)
    {
        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>The address without secrets (account key, SAS signature), for messages.</summary>
    public static string Redacted(string cluster) => SecretRedactor.Redact(cluster) ?? "";
}
