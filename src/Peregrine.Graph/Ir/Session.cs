namespace Peregrine.Graph.Ir;

/// <summary>Who is asking: the role and the <c>x-hasura-*</c> session variables. No HTTP types past this point.</summary>
public sealed record Session(string Role, IReadOnlyDictionary<string, string> Variables)
{
    public const string AdminRole = "admin";
    public static readonly Session Admin = new(AdminRole, new Dictionary<string, string>());
    public bool IsAdmin => Role == AdminRole;
}
