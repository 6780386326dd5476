namespace Peregrine.Graph.Schema;

/// <summary>Hasura's names for the types generated per table.</summary>
public static class TypeNames
{
    public static string BoolExp(string table) => $"{table}_bool_exp";
    public static string OrderBy(string table) => $"{table}_order_by";
    public static string SelectColumn(string table) => $"{table}_select_column";
    public static string InsertInput(string table) => $"{table}_insert_input";
    public static string ObjRelInsertInput(string table) => $"{table}_obj_rel_insert_input";
    public static string ArrRelInsertInput(string table) => $"{table}_arr_rel_insert_input";
    public static string OnConflict(string table) => $"{table}_on_conflict";
    public static string Constraint(string table) => $"{table}_constraint";
    public static string UpdateColumn(string table) => $"{table}_update_column";
    public static string MutationResponse(string table) => $"{table}_mutation_response";
    public static string Comparison(string scalar) => $"{scalar}_comparison_exp";
    public static string Aggregate(string table) => $"{table}_aggregate";
    public static string AggregateFields(string table) => $"{table}_aggregate_fields";
    public static string AggregateOpFields(string table, string op) => $"{table}_{op}_fields";
    public static string AggregateOrderBy(string table) => $"{table}_aggregate_order_by";
    public static string AggregateOpOrderBy(string table, string op) => $"{table}_{op}_order_by";
    public static string AggregateBoolExp(string table) => $"{table}_aggregate_bool_exp";
    public static string AggregateBoolExpCount(string table) => $"{table}_aggregate_bool_exp_count";
    public static string SetInput(string table) => $"{table}_set_input";
    public static string IncInput(string table) => $"{table}_inc_input";
    public static string PkColumnsInput(string table) => $"{table}_pk_columns_input";
    public static string Updates(string table) => $"{table}_updates";
    public const string OrderByEnum = "order_by";
    public const string QueryRoot = "query_root";
    public const string MutationRoot = "mutation_root";
    public const string SubscriptionRoot = "subscription_root";
}
