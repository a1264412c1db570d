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
    "asm.unknown-statement": "여기에는 명령이나 지시어가 와야 합니다. 찾은 것: '{word}'",
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
                             ".byte .ascii .asciz .zero .align .org .if .else .endif .include)",
    "asm.include-syntax": '.include "이름" 형태로 써야 합니다 (이름은 라이브러리 파일)',
    "asm.include-unknown": "라이브러리에 없는 파일입니다: '{name}' (있는 것: {names})",
    "asm.include-cycle": "파일들이 서로를 빙 돌아 포함합니다: {cycle}",
    "asm.include-too-deep": ".include는 {limit}단계까지만 겹쳐 쓸 수 있습니다",
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
    "asm.operands-mismatch": "이 명령은 {forms} 형태로 써야 합니다 (지금: {mnemonic} {operands})",
    "asm.operands-missing": "이 명령은 {forms} 형태로 써야 합니다 (지금: 피연산자 없는 "
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
    # how a run ended (the machine, the hypervisors)
    "run.powered-off": "게스트가 전원을 껐습니다 (종료 코드 {code})",
    "run.budget": "{cycles:,} 사이클 후 멈췄습니다: 게스트가 한도 {budget:,} 사이클 안에 끝나지 "
                  "않았습니다 (무한 루프일까요?)",
    "run.cancelled": "실행이 취소되었습니다",
    "run.still-running": "게스트가 아직 실행 중입니다",
    "run.cpu-halted": "CPU가 hlt로 멈췄는데 인터럽트가 꺼져 있거나 타이머가 돌지 않아 깨울 수 있는 "
                      "것이 없습니다",
    "run.guest-halted": "게스트가 hlt로 멈췄는데 인터럽트가 꺼져 있거나 타이머가 돌지 않아 깨울 수 "
                        "있는 것이 없습니다",
    "run.guest-blocked": "게스트가 대기 상태에 들어갔는데 인터럽트가 꺼져 있거나 타이머가 돌지 않아 "
                         "깨울 수 있는 것이 없습니다",
    "run.triple-fault": "벡터 {vector} 전달 중 트리플 폴트: IDT나 커널 스택을 쓸 수 없는 상태입니다",
    "run.guest-triple-fault": "게스트의 IDT로 벡터 {vector}을(를) 전달할 수 없습니다 (가상 머신 안의 "
                              "트리플 폴트)",
    # where a sensitive instruction showed the guest real state (an x86 hole)
    "hole.pushf": "pushf가 실제 플래그 값(IF={real})을 보여 주었지만, 게스트가 설정해 둔 가상 IF는 "
                  "{virtual}입니다",
    "hole.popf": "popf가 IF={wanted} 설정을 시도했지만 링 {ring}에서 실행되어 CPU가 IF 변경을 "
                 "조용히 무시했습니다. 게스트의 인터럽트 상태는 그대로입니다",
    "hole.iret": "iret 명령이 IF={wanted}(으)로 되돌리려 했지만 링 {ring}에서 실행되어 CPU가 IF 변경을 "
                 "조용히 무시했습니다. 게스트의 인터럽트 상태는 그대로입니다",
    "hole.table": "VMM이 드러났습니다: {instruction} 명령이 게스트의 값(베이스 {virtual:#x}) 대신 "
                  "실제 {table} 값(베이스 {real:#x})을 저장했습니다",
    "hole.smsw": "smsw가 게스트의 cr0 값({virtual:#x}) 대신 실제 cr0 값({real:#x})을 읽었습니다",
    "hole.cs": "mov r, cs가 실제 값 {real:#x}(CPL {real_cpl})을 읽었지만, 게스트 커널은 자신이 "
               "CPL {virtual_cpl}({virtual:#x})에서 실행된다고 믿습니다",
    # what broke containment, and what a hypervisor refused
    "containment.real-device": "{instruction}: 게스트가 포트 {port:#x}의 실제 장치를 직접 "
                               "조작했습니다",
    "containment.real-apic": "{instruction}: 게스트가 실제 로컬 APIC의 MSR {msr:#x}에 직접 "
                             "썼습니다 (APIC 가상화 없음)",
    "containment.dma-host-memory": "IOMMU 없이 게스트에 할당된 네트워크 카드가 DMA로 호스트 "
                                   "메모리 {address:#x}에서 {length}바이트를 읽었습니다",
    "refusal.dma-fault": "IOMMU가 게스트 물리 주소 {address:#x}로 가는 DMA를 막았습니다: "
                         "매핑이 없습니다 (DMA 리매핑 폴트, 보고됨)",
    "refusal.net-ring": "net_setup: 링 주소 {address:#x}가 게스트 RAM의 페이지가 아닙니다",
    "refusal.grant-frame": "grant_access: 주소 {address:#x}가 게스트 RAM의 페이지가 아닙니다",
    "refusal.balloon-frame": "balloon_release: 주소 {address:#x}가 게스트 RAM의 페이지가 아닙니다",
    "refusal.no-balloon": "balloon_release: 이 게스트 아래에는 페이지를 돌려받을 호스트 메모리 관리자가 "
                          "없습니다",
    "host.out-of-memory": "호스트의 메모리가 바닥났습니다: 게스트 {guest}가 페이지 {page:#x}에 쓸 "
                          "프레임이 필요했지만, 호스트 프레임 {frames}개가 모두 쓰이고 있었고 메모리를 "
                          "회수하는 장치가 없습니다",
    "host.migration-stuck": "라이브 마이그레이션이 수렴하지 않았습니다: {rounds}번째 라운드가 끝나도 "
                            "게스트가 라운드마다 페이지 {pages}개를 더럽혀서, 마이그레이터가 게스트를 "
                            "멈추고 남은 페이지를 다운타임 동안 복사했습니다",
    "refusal.not-granted": "네트워크 뒷단이 {address:#x}의 패킷을 거부했습니다: 그 페이지는 "
                           "허가(grant)되지 않았습니다",
    "refusal.outside-ram": "게스트 물리 주소 {address:#x}: 게스트 RAM 범위를 벗어났습니다",
    "refusal.trap-table-wraps": "set_trap_table: {base:#x}의 트랩 테이블이 4 GiB 끝을 넘어 "
                                "처음으로 돌아갑니다",
    "refusal.trap-table-unmapped": "set_trap_table: {base:#x}의 트랩 테이블 중 {page:#x}이(가) "
                                   "매핑되어 있지 않습니다",
    "refusal.trap-table-foreign": "set_trap_table: {base:#x}의 트랩 테이블이 게스트의 메모리가 "
                                  "아닙니다 (RAM 밖)",
    "refusal.batch-too-big": "mmu_update: 한 번에 {count}개를 요청했습니다 (최대 {limit}개)",
    "refusal.pte-address": "mmu_update: 페이지 테이블 항목 주소 {address:#x}은(는) 게스트의 것이 "
                           "아닙니다",
    "refusal.foreign-frame": "mmu_update: 게스트가 소유하지 않은 프레임 {frame:#x}을(를) 매핑하려 해서 "
                             "거절했습니다",
    "refusal.page-directory": "new_baseptr: 페이지 디렉터리 {address:#x}은(는) 게스트의 것이 아닙니다",
    "refusal.shared-info": "shared_info: 주소 {address:#x}은(는) 게스트의 것이 아닙니다",
    "refusal.iret-inward": "iret: 더 높은 특권 링으로 돌아가려는 iret입니다",
    # the timeline: what each traced event was
    "trace.trap": "벡터 {vector}번 트랩: 게스트에서 하이퍼바이저로 제어가 넘어갔습니다",
    "trace.reflect": "하이퍼바이저가 벡터 {vector}번을 게스트의 IDT로 반사해 게스트 핸들러에 "
                     "넘겼습니다",
    "trace.emulate": "하이퍼바이저가 {instruction} 명령을 에뮬레이션했습니다",
    "trace.translate": "주소 {address:#x}부터 명령 {count}개를 이진 변환했습니다",
    "trace.inline": "변환된 코드가 {instruction} 명령을 인라인으로 에뮬레이션했습니다",
    "trace.callout": "변환된 코드가 {instruction} 명령을 처리하려고 하이퍼바이저를 "
                     "호출했습니다 (콜아웃)",
    "trace.hidden_fault": "숨은 페이지 폴트: 하이퍼바이저가 섀도 페이지 테이블을 채웠습니다",
    "trace.hypercall": "게스트 커널이 {name} 하이퍼콜을 호출했습니다",
    "trace.vm_exit": "VM exit 발생 (원인: {reason})",
    "trace.vm_entry": "{reason} 처리를 마치고 VM entry로 게스트에 돌아갔습니다",
    "trace.exception": "벡터 {vector}번 예외가 발생해 게스트의 핸들러로 전달되었습니다",
    "trace.interrupt": "벡터 {vector}번 인터럽트가 발생해 게스트의 핸들러로 전달되었습니다",
    "trace.resume": "하이퍼바이저가 게스트의 실행을 재개했습니다",
    "trace.exit_handler": "하이퍼바이저가 {reason} exit를 처리했습니다",
}
