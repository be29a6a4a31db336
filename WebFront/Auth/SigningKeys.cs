using System.Security.Cryptography;
using System.Text;
using Messaging.WebFront.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Messaging.WebFront.Auth;

/// <summary>
/// The HS256 key tokens are signed with: <c>Auth:SigningKey</c>, or in standalone mode a random key
/// kept in the data folder so tokens survive a restart (the file never leaves the machine).
/// </summary>
internal sealed class SigningKeys
{
    private const string DevKeyFile = "dev-signing.key";

    public SigningKeys(IOptions<AuthOptions> auth, IOptions<FrontHostingOptions> hosting)
    {
        var configured = auth.Value.SigningKey;
        var bytes = configured is not null ? Encoding.UTF8.GetBytes(configured) : LoadOrCreateDevKey(hosting.Value.DataPath);
        Key = new SymmetricSecurityKey(bytes);
    }

    public SymmetricSecurityKey Key { get; }

    private static byte[] LoadOrCreateDevKey(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        var path = Path.Combine(dataPath, DevKeyFile);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(64);
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
