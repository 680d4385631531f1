"""Talent's refusals: stable codes and Chinese messages."""

from __future__ import annotations

from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed


class TalentInvalid(ValidationFailed):
    code = "talent.invalid"
    message = "人才信息有误，请检查后重试。"


class DuplicatePerson(Conflict):
    code = "talent.duplicate_person"
    message = "该身份证号码对应的人员已登记，不能重复登记。"


class NotThePerson(PermissionDenied):
    code = "talent.not_the_person"
    message = "银行账号只能由本人在个人页面修改。"


class PiiDenied(PermissionDenied):
    code = "talent.pii_denied"
    message = "您没有查看完整身份证号码或银行账号的权限（talent:pii），本次尝试已记录。"


class StaleSources(ValidationFailed):
    code = "talent.stale_sources"
    message = "数据源未更新，本月直兑计算未执行。"


class ConfirmationMismatch(ValidationFailed):
    code = "talent.confirmation_mismatch"
    message = "实名确认未通过：填写的身份证号码与登记信息不一致。"
