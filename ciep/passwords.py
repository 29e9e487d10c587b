"""Password rules of the portal's own, beside Django's validators (AUTH_PASSWORD_VALIDATORS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The portal's name and the words any guesser tries first on a talent fair in Shenzhen, in
# English, pinyin and Chinese; compared with the password's letters in lower case.
FAIR_WORDS = (
    "ciep",
    "shenzhen",
    "china",
    "zhongguo",
    "talent",
    "talents",
    "rencai",
    "expert",
    "experts",
    "zhuanjia",
    "professional",
    "professionals",
    "password",
    "passwd",
    "mima",
    "深圳",
    "中国",
    "人才",
    "专家",
    "交流",
    "大会",
    "密码",
)


class FairWordsPasswordValidator:
    """Refuses a password built on the portal's name or the fair's common words.

    Only the password's letters count (any script; digits, punctuation and spaces are left
    out) and case does not matter. The password is refused when the fair's words (`FAIR_WORDS`)
    make up half of those letters or more: `ciep2022`, `CIEP-2022!`, `Shenzhen2022`,
    `talent123`, `深圳人才2022` and `ciep-talent` are refused; `correct horse ciep battery
    staple`, where one such word sits among many other letters, passes. A password with no
    such word is left to the other validators.
    """

    def __init__(self, words: tuple[str, ...] = FAIR_WORDS):
        # Longest first, so that "talents" counts whole rather than as "talent" and an "s".
        ordered = sorted({word.casefold() for word in words}, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(word) for word in ordered))

    def fair_words(self, password: str) -> tuple[list[str], int]:
        """The fair's words found in ``password``, and how many letters it has in all."""
        letters = "".join(character for character in password.casefold() if character.isalpha())
        return self.pattern.findall(letters), len(letters)

    def validate(self, password, user=None):
        found, letters = self.fair_words(password)
        if found and 2 * sum(len(word) for word in found) >= letters:
            raise ValidationError(
                _(
                    "This password is built on the name of the conference or a word everyone "
                    "associates with it (“%(word)s”). Choose one that is mostly other words."
                ),
                code="password_fair_words",
                params={"word": found[0]},
            )

    def get_help_text(self):
        return _(
            "Your password can’t be built on the conference’s name or its common words, such "
            "as “CIEP”, “Shenzhen”, “talent” or “人才”."
        )
