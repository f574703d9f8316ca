using System.Net;
using System.Net.Sockets;
using CoS.Distributed.Client.Tests.EndToEnd;

namespace CoS.Distributed.Client.Tests.Connections;

/// <summary>When the cluster cannot be reached, the error names it without its secrets.</summary>
public sealed class ClusterErrorRedactionTests
{
    private const string Key = "c2VjcmV0LWFjY291bnQta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg==";
    private const string Signature = "c2lnbmF0dXJlLXRoYXQtbXVzdC1iZS1oaWRkZW4%3D";

    public static TheoryData<string, string> Unreachable()
    {
        var port = ClosedPort();
        var table = $"http://127.0.0.1:{port}/devstoreaccount1";
        return new TheoryData<string, string>
        {
            { "account key", $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint={table};" },
            { "SAS", $"TableEndpoint={table};SharedAccessSignature=sv=2024-11-04&ss=t&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig={Signature}" },
        };
    }

    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task TheCouldNotReachTheClusterErrorShowsNoSecret(string form, string cluster)
    {
        var outcome = await CosRunner.Run("status", "--cluster", cluster);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("could not reach the cluster", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(form == "SAS" ? "SharedAccessSignature=[redacted]" : "AccountKey=[redacted]", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, outcome.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, outcome.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
