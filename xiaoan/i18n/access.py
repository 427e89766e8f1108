"""Login, users and roles (access.*), and what a viewer's scope hides (scope.*)."""

TEXT: dict[str, dict[str, str]] = {
    # ---- metrics and snapshots ----
    "scope.district": {"zh": "全区", "en": "whole district"},
    "scope.town": {"zh": "镇", "en": "town"},
    "scope.department": {"zh": "成员单位", "en": "member unit"},
    # ---- access and reliability ----
    "access.login_title": {"zh": "登录校园安全工作看板", "en": "Log in to the school safety dashboard"},
    "access.login_intro": {
        "zh": "请登录后查看。账号的查看范围由区中小学幼儿园安全总校（园）长制工作办公室设定。",
        "en": "Log in to see the data. The district's safety principal-in-chief office sets what each account may see.",
    },
    "access.name": {"zh": "用户名", "en": "User name"},
    "access.password": {"zh": "密码", "en": "Password"},
    "access.submit": {"zh": "登录", "en": "Log in"},
    "access.wrong": {"zh": "用户名或密码不正确。", "en": "Wrong user name or password."},
    "access.locked": {
        "zh": "该用户名尝试次数过多，请 {minutes} 分钟后再试。",
        "en": "Too many attempts for this name: try again in {minutes} minutes.",
    },
    "access.oidc_button": {"zh": "使用单位统一身份账号登录", "en": "Log in with your organisation account"},
    "access.no_role": {
        "zh": "账号 {email} 尚未分配查看范围，请联系区中小学幼儿园安全总校（园）长制工作办公室。",
        "en": "The account {email} has no role yet: ask the district office.",
    },
    "access.signed_in": {"zh": "已登录：{name}（{role}）", "en": "Signed in: {name} ({role})"},
    "access.logout": {"zh": "退出登录", "en": "Log out"},
    "access.open_local": {
        "zh": "本机管理模式：尚未设置登录账号，看板仅限本机访问。设置账号后可供其他用户登录查看（见 docs/security.md）。",
        "en": (
            "Local administration: no accounts are set up yet, so the dashboard opens on this computer only. "
            "Set up accounts to let others log in (docs/security.md)."
        ),
    },
    "access.remote_refused": {
        "zh": "尚未设置登录账号，看板只能在服务器本机打开。请联系系统管理员设置账号（见 docs/security.md）。",
        "en": (
            "No users are configured, so the dashboard opens on this computer only. Configure login first "
            "(docs/security.md)."
        ),
    },
    "access.users_broken": {
        "zh": "登录配置有误，暂时无法登录，请联系系统管理员。",
        "en": (
            "The login configuration is broken, so nobody can log in for now: please contact the system "
            "administrator."
        ),
    },
    "access.role.district": {"zh": "区级", "en": "district"},
    "access.role.town": {"zh": "镇级", "en": "town"},
    "access.role.department": {"zh": "成员单位", "en": "member unit"},
    "access.role.wall": {"zh": "驾驶舱大屏", "en": "wall screen"},
    "access.wall_only": {
        "zh": "此账号仅用于驾驶舱大屏，只能打开大屏页面。",
        "en": "This account is for the wall screen: it opens the wall page only.",
    },
    "access.wall_link": {"zh": "打开驾驶舱大屏", "en": "Open the wall screen"},
    # ---- users file and `xiaoan user` ----
    "access.err.role": {
        "zh": "用户 {name}：角色只能是 {roles}，收到的是 {role}",
        "en": "user {name}: role must be one of {roles}, got {role}",
    },
    "access.err.needs_code": {
        "zh": "用户 {name}：角色为 {role} 的用户须用 --code 填写镇代码或单位代码",
        "en": "user {name}: a {role} user needs its code (--code)",
    },
    "access.err.district_code": {
        "zh": "用户 {name}：区级用户不填写代码",
        "en": "user {name}: a district user takes no code",
    },
    "access.err.unreadable": {"zh": "无法读取用户文件 {path}：{reason}", "en": "cannot read the users file {path}: {reason}"},
    "access.err.entry": {
        "zh": "用户文件 {path}：[users.{name}] 应为一个表",
        "en": "users file {path}: [users.{name}] must be a table",
    },
    "access.err.registry": {
        "zh": "无法读取 {path} 中的基础信息表以核对代码：{reason}",
        "en": "cannot read the registry in {path} to check the code: {reason}",
    },
    "access.err.registry_table": {
        "zh": "无法读取 {path} 基础信息表中的 {table}：{reason}",
        "en": "cannot read the {table} of the registry in {path}: {reason}",
    },
    "access.err.short": {"zh": "密码至少应有{count}个字符", "en": "the password must have at least {count} characters"},
    "access.err.long": {
        "zh": "密码最多{count}个字节（bcrypt 的上限）",
        "en": "the password must be at most {count} bytes (bcrypt's limit)",
    },
    "access.cli.empty_name": {"zh": "用户名不能为空", "en": "the name must not be empty"},
    "access.cli.password": {"zh": "密码", "en": "password"},
    "access.cli.saved": {"zh": "{name}：{role}{code}{how} → {path}", "en": "{name}: {role}{code}{how} → {path}"},
    "access.cli.not_checked": {
        "zh": "未核对：{path} 尚无数据库，无法在基础信息表中查找 {code}",
        "en": "not checked: no warehouse at {path} yet, so {code} could not be looked up in the registry",
    },
    "access.cli.unknown_code": {
        "zh": "{code} 不是 {path} 基础信息表中的{kind}代码，已有代码：{known}",
        "en": "{code} is not a {kind} code in the registry of {path}: known codes are {known}",
    },
    "access.cli.kind.town": {"zh": "镇", "en": "town (镇代码)"},
    "access.cli.kind.department": {"zh": "成员单位", "en": "member unit (单位代码)"},
    "access.cli.none": {"zh": "无", "en": "none"},
    "access.cli.checked": {
        "zh": "已核对：{code} 为 {path} 基础信息表中的 {unit}",
        "en": "checked: {code} is {unit} in the registry of {path}",
    },
    "access.cli.no_user": {"zh": "没有用户 {name}", "en": "no user {name}"},
    "access.cli.removed": {"zh": "已删除用户 {name}", "en": "removed {name}"},
    "access.cli.by_password": {"zh": "密码登录", "en": "password"},
    "access.cli.by_oidc": {"zh": "统一身份认证", "en": "OIDC"},
}
