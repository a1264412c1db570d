"""The Korean catalogue of what the core says: the same ids as `virtquest.emu.messages.EN`, each
a template with the same `{name}` placeholders (format specs such as `{target:#x}` included).

Written for students reading it next to their program: say what is wrong and what belongs there,
and keep what the program contained (a word, a symbol, a directive) exactly as it was written.
"""

from __future__ import annotations

KO: dict[str, str] = {
    # the assembler and its expressions
    "asm.nul-byte": "텍스트가 아닌 NUL 바이트가 들어 있습니다",
    "asm.program-too-big": "프로그램은 시작 주소에서 {mib} MiB 안에 들어가야 합니다",
    "asm.unknown-statement": "여기에는 명령어나 지시어가 와야 합니다. 찾은 것: '{word}'",
    "asm.symbol-redefined": "이미 정의된 심볼입니다: '{name}'",
    "asm.empty-operand": "',' 앞에 피연산자가 있어야 합니다",
    "asm.unclosed-quote": "닫는 {quote} 기호가 빠졌습니다",
    "asm.unclosed-bracket": "열어 둔 괄호를 닫는 ']' 또는 ')'가 빠졌습니다",
    "asm.if-too-deep": ".if는 {limit}단계까지만 겹쳐 쓸 수 있습니다",
    "asm.if-without-condition": ".if 뒤에 조건식이 있어야 합니다",
    "asm.if-unmatched": "{directive}에 짝이 되는 .if가 없습니다",
    "asm.if-second-else": ".else가 두 번 나왔습니다. .endif로 닫아야 합니다",
    "asm.if-unclosed": "이 .if를 닫는 .endif가 없습니다",
    "asm.unknown-directive": "알 수 없는 지시어입니다: '{directive}' (쓸 수 있는 것: .equ .word "
                             ".byte .ascii .asciz .zero .align .org .if .else .endif)",
    "asm.equ-syntax": ".equ 이름, 식 형태로 써야 합니다",
    "asm.data-without-values": "{directive} 뒤에 값이 하나 이상 있어야 합니다",
    "asm.string-expected": '{directive} 뒤에는 "문자열" 하나가 와야 합니다',
    "asm.string-unquoted": '"따옴표로 감싼 문자열"이 와야 합니다',
    "asm.string-bad-escape": "문자열 안의 이스케이프는 \\n \\t \\0 \\\\ \\\" \\xHH 중 하나여야 "
                             "합니다. 찾은 것: \\{escape}",
    "asm.one-value-expected": "{directive} 뒤에는 값이 하나만 와야 합니다",
    "asm.zero-size-out-of-range": "크기는 0에서 {limit} 사이여야 합니다",
    "asm.align-not-power-of-two": ".align에는 2의 거듭제곱을 써야 합니다",
    "asm.org-backwards": ".org 주소는 {current:#x} 이상이어야 합니다 (지금: {target:#x})",
    "asm.org-too-far": "주소는 시작 주소에서 {mib} MiB 안쪽이어야 합니다",
    "asm.value-too-wide": "{bits}비트에 들어가는 값이어야 합니다 (지금: {value})",
    "asm.operands-mismatch": "이 명령어는 {forms} 형태로 써야 합니다 (지금: {mnemonic} {operands})",
    "asm.operands-missing": "이 명령어는 {forms} 형태로 써야 합니다 (지금: 피연산자 없는 "
                            "{mnemonic})",
    "asm.control-register": "제어 레지스터(cr0, cr2, cr3, cr8)가 와야 합니다",
    "asm.memory-unclosed": "메모리 피연산자를 닫는 ']'가 빠졌습니다",
    "asm.displacement-missing": "부호 뒤에 변위 값이 있어야 합니다",
    "asm.memory-empty": "[ ] 안에는 레지스터나 주소가 와야 합니다",
    "asm.define-syntax": "이름=값 형태로 써야 합니다. 찾은 것: '{text}'",
    "expr.unexpected-character": "숫자, 심볼, 연산자 중 하나가 와야 합니다. 찾은 것: '{char}'",
    "expr.too-complex": "식이 너무 깁니다 (토큰은 {tokens}개, 괄호는 {levels}단계까지 쓸 수 "
                        "있습니다)",
    "expr.trailing-token": "연산자가 오거나 식이 끝나야 합니다. 찾은 것: '{token}'",
    "expr.missing-operand": "숫자나 심볼이 와야 합니다",
    "expr.unexpected-token": "숫자나 심볼이 와야 합니다. 찾은 것: '{token}'",
    "expr.unclosed-parenthesis": "')'가 빠졌습니다",
    "expr.number-too-wide": "64비트에 들어가는 숫자여야 합니다",
    "expr.character-bad-escape": "문자 이스케이프가 와야 합니다. 찾은 것: '{escape}'",
    "expr.character-too-wide": "1바이트 문자여야 합니다",
    "expr.undefined-symbol": "정의되지 않은 심볼입니다: '{name}'",
    "expr.division-by-zero": "0으로 나눌 수 없습니다",
    "expr.shift-out-of-range": "시프트 횟수는 0에서 63 사이여야 합니다",
    "expr.value-too-wide": "64비트에 들어가는 값이어야 합니다",
}
