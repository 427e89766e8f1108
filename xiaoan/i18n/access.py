"""Login, users and roles (access.*), and what a viewer's scope hides (scope.*)."""

TEXT: dict[str, dict[str, str]] = {
    # ---- metrics and snapshots ----
    "scope.district": {"zh": "全区", "en": "whole district"},
    "scope.town": {"zh": "镇", "en": "town"},
    "scope.department": {"zh": "成员单位", "en": "department"},
    # ---- access and reliability ----
    "access.login_title": {"zh": "登录校园安全看板", "en": "Log in to the school-safety dashboard"},
    "access.login_intro": {
        "zh": "请登录后查看数据：您看到的范围由区安全办公室为您的账号设定。",
        "en": "Log in to see the data: the district office sets what your account may see.",
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
        "zh": "账号 {email} 尚未分配查看范围，请联系区安全办公室。",
        "en": "The account {email} has no role yet: ask the district office.",
    },
    "access.signed_in": {"zh": "已登录：{name}（{role}）", "en": "Signed in: {name} ({role})"},
    "access.logout": {"zh": "退出登录", "en": "Log out"},
    "access.open_local": {
        "zh": "未配置用户：看板仅在本机（127.0.0.1）提供，无需登录。",
        "en": (
            "No users configured: the dashboard is served on this computer only (127.0.0.1), without login."
        ),
    },
    "access.remote_refused": {
        "zh": "未配置用户时，看板只能在本机打开。请先配置登录（见 docs/security.md）。",
        "en": (
            "No users are configured, so the dashboard opens on this computer only. Configure login first "
            "(docs/security.md)."
        ),
    },
    "access.users_broken": {
        "zh": "登录配置有误，暂时无法登录，请联系区安全办公室。",
        "en": (
            "The login configuration is broken, so nobody can log in for now: please contact the district "
            "office."
        ),
    },
    "access.role.district": {"zh": "区级", "en": "district"},
    "access.role.town": {"zh": "镇级", "en": "town"},
    "access.role.department": {"zh": "成员单位", "en": "member unit"},
}
