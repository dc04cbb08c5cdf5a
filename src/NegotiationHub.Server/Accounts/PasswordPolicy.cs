using Microsoft.AspNetCore.Identity;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Accounts;

/// <summary>
/// The rules beyond Identity's length (12, issue 20 item 10): a password is refused when it is one
/// of the most common passwords once its leading and trailing digits and symbols are taken off
/// ("Password1234!" is "password"), when it is only digits or a keyboard run, or when it contains
/// the user name.
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<AppUser>
{
    /// <summary>Identity's minimum length, set in <see cref="IdentitySetup"/>.</summary>
    public const int MinimumLength = 12;

    // The cores of the most common passwords of the public breach lists (NCSC's and SecLists'
    // top lists), lower case, digits and symbols at either end removed.
    private static readonly HashSet<string> CommonCores = new(StringComparer.Ordinal)
    {
        "password", "passw0rd", "passwort", "pass", "qwerty", "qwertyuiop", "qwertyui", "asdfgh", "asdfghjkl", "zxcvbnm",
        "letmein", "welcome", "admin", "administrator", "iloveyou", "abc", "abcdef", "abcdefg", "abcdefgh", "monkey",
        "dragon", "football", "baseball", "soccer", "hockey", "sunshine", "princess", "superman", "batman", "master",
        "shadow", "michael", "jennifer", "jordan", "hunter", "trustno", "starwars", "whatever", "freedom", "charlie",
        "login", "test", "tester", "changeme", "secret", "default", "guest", "root", "user", "hello", "hellohello",
        "computer", "internet", "samsung", "google", "china", "woaini", "aini", "iloveu", "lovely", "loveme",
    };

    private static readonly string[] KeyboardRuns = ["1234567890", "0987654321", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz"];

    /// <summary>
    /// The stable field-error code of an Identity error: <c>identity.</c> and Identity's own code
    /// (e.g. <c>identity.PasswordTooShort</c>, <c>identity.DuplicateUserName</c>, or ours above).
    /// </summary>
    public static string CodeOf(IdentityError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return "identity." + error.Code;
    }

    /// <inheritdoc />
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = new List<IdentityError>();
        var value = password ?? "";
        var lower = value.ToLowerInvariant();
        var core = lower.Trim("0123456789!@#$%^&*()-_=+.,;:'\"?/\\|[]{}<>~` ".ToCharArray());
        if (core.Length == 0 || CommonCores.Contains(core) || IsRun(lower))
        {
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = "is one of the most common passwords (or only digits, symbols or a keyboard run); choose something others would not guess" });
        }

        if (user.UserName is { Length: >= 3 } name && lower.Contains(name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "must not contain the user name" });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    private static bool IsRun(string lower)
    {
        var letters = new string([.. lower.Where(char.IsLetterOrDigit)]);
        return letters.Length > 0 && KeyboardRuns.Any(run => run.Contains(letters, StringComparison.Ordinal));
    }
}
