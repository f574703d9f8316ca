using CoS.Distributed.Security.Secrets;

namespace CoS.Distributed.Silo.Tests.Security;

public sealed class SecretRedactorTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Signature = "Zm9vYmFyc2VjcmV0c2lnbmF0dXJl%2B%2Fabc%3D";

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key + ";EndpointSuffix=core.windows.net",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[redacted];EndpointSuffix=core.windows.net")]
    [InlineData("AccountName=acct;accountkey=" + Key, "AccountName=acct;accountkey=[redacted]")]
    [InlineData("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-11-04&ss=b&srt=sco&sp=rwdlac&se=2027-01-01T00:00:00Z&sig=" + Signature,
        "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=[redacted]")]
    [InlineData("GET https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2027-01-01&sp=r&sig=" + Signature + " failed",
        "GET https://acct.blob.core.windows.net/c/b?sv=2024-11-04&se=2027-01-01&sp=r&sig=[redacted] failed")]
    [InlineData("https://acct.blob.core.windows.net/c?sig=" + Signature + "&se=2027-01-01", "https://acct.blob.core.windows.net/c?sig=[redacted]&se=2027-01-01")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=" + Key,
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=[redacted]")]
    [InlineData("Authorization: SharedKey devstoreaccount1:" + Key, "Authorization: SharedKey devstoreaccount1:[redacted]")]
    [InlineData("Server=db;User Id=cos;Password=hunter2;", "Server=db;User Id=cos;Password=[redacted];")]
    [InlineData("could not reach the cluster 'AccountName=a;AccountKey=" + Key + "' (cluster id 'cos')",
        "could not reach the cluster 'AccountName=a;AccountKey=[redacted]' (cluster id 'cos')")]
    public void EverySecretFormIsRedactedAndTheRestKept(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
        Assert.True(SecretRedactor.HasSecret(text));
    }

    [Theory]
    [InlineData("localhost:30000,10.0.0.5:30000")]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("Cos:Tls:Password and Cos:Tls:PasswordFile are both given")]
    [InlineData("the signature of x")]
    public void TextWithoutSecretsIsUnchanged(string text)
    {
        Assert.Equal(text, SecretRedactor.Redact(text));
        Assert.False(SecretRedactor.HasSecret(text));
    }

    [Fact]
    public void RedactingTwiceChangesNothingMore()
    {
        var once = SecretRedactor.Redact("AccountKey=" + Key + ";SharedAccessSignature=sv=1&sig=" + Signature);
        Assert.Equal(once, SecretRedactor.Redact(once));
        Assert.False(SecretRedactor.HasSecret(once));
    }
}
