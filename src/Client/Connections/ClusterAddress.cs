using System.Net;

namespace CoS.Distributed.Client.Connections;

/// <summary>Reads the --cluster value: an Azure Storage connection string, or gateway endpoints.</summary>
public static class ClusterAddress
{
    public static bool IsConnectionString(string cluster) =>
        cluster.Contains('=', StringComparison.Ordinal) && (cluster.Contains("AccountName", StringComparison.OrdinalIgnoreCase)
            || cluster.Contains("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase));

    public static IPEndPoint[] Gateways(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var endpoints = new List<IPEndPoint>();
        foreach (var part in cluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
                throw new ArgumentException($"--cluster '{part}' is neither an Azure Storage connection string nor a gateway 'host:port' (for example localhost:30000)");
            var host = part[..colon];
            var address = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out var ip) ? ip
                : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"--cluster host '{host}' does not resolve");
            endpoints.Add(new IPEndPoint(address, port));
        }
        return endpoints.Count > 0 ? [.. endpoints] : throw new ArgumentException("--cluster is empty: give a connection string or host:port");
    }

    /// <summary>The address without secrets, for messages.</summary>
    public static string Redacted(string cluster) =>
        IsConnectionString(cluster)
            ? string.Join(";", cluster.Split(';').Select(p => p.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) ? "AccountKey=…" : p))
            : cluster;
}
