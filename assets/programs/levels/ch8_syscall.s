; ch8_syscall.s — a tiny kernel and a user program that makes COUNT null system calls
; (the "syscall" nanobenchmark of Adams & Agesen 2006, and lmbench's "null call").
;
; The kernel sets its trap stack and IDT, turns interrupts on, drops to user mode (ring 3)
; with iret, and answers each `int 0x80` with iret. System call 1 ends the run.
; Expected output: "system calls done", exit code 0.
;
; Guest forms (a paravirtualized kernel, as Xen's): GUEST_install registers the IDT as a
; trap table with the hypervisor, its system-call gate a trap gate for the guest kernel's
; own ring, so `int 0x80` reaches the guest kernel without entering the hypervisor (a plain
; iret takes it back: ring 1 to ring 3 needs no hypervisor either); GUEST_back returns to
; user mode with the iret hypercall instead, which also gives the hypervisor the
; interrupt flag the frame restores.
;ko: ch8_syscall.s — 작은 커널과, 빈 시스템 콜을 COUNT번 하는 사용자 프로그램
;ko: (Adams & Agesen 2006의 "syscall" 나노벤치마크이자 lmbench의 "null call").
;ko:
;ko: 커널은 트랩용 스택과 IDT를 설정하고 인터럽트를 켠 뒤, iret으로 사용자 모드(링 3)로
;ko: 내려가고, `int 0x80`이 올 때마다 iret으로 답합니다. 시스템 콜 1번이 실행을 끝냅니다.
;ko: 예상 출력: "system calls done", 종료 코드 0.
;ko:
;ko: 게스트 형태(Xen 같은 반가상화 커널): GUEST_install은 IDT를 트랩 테이블로 하이퍼바이저에
;ko: 등록하면서 시스템 콜 게이트를 게스트 커널 자신의 링으로 가는 트랩 게이트로 만듭니다.
;ko: 그래서 `int 0x80`은 하이퍼바이저를 거치지 않고 게스트 커널에 닿고, 평범한 iret이 다시
;ko: 돌려보냅니다(링 1에서 링 3으로 갈 때도 하이퍼바이저가 필요 없음). GUEST_back은 대신
;ko: iret 하이퍼콜로 사용자 모드에 돌아가며, 프레임이 되돌리는 인터럽트 플래그도
;ko: 하이퍼바이저에 알려 줍니다.

.equ COUNT, 50
.equ KSTACK, 0x70000
.equ USTACK, 0x60000
.equ USER_CS, 0x23
.equ VEC_SYSCALL, 0x80
.equ HC_SET_TRAP_TABLE, 0
.equ HC_IRET, 6
.equ HC_STACK_SWITCH, 7
.equ GUEST_install, 0
.equ GUEST_back, 0

_start:
    mov esp, 0x80000
    mov ecx, 0x175              ; the stack traps from user mode start on
                                ;ko: 사용자 모드에서 온 트랩이 쓰기 시작할 스택
    mov eax, KSTACK
    xor edx, edx
    wrmsr
install:
.if GUEST_install
    mov eax, HC_STACK_SWITCH    ; modified: tell the hypervisor, then register the table
                                ;ko: 수정된 형태: 하이퍼바이저에 스택을 알리고 테이블을 등록
    mov ebx, KSTACK
    vmcall
    mov eax, HC_SET_TRAP_TABLE
    mov ebx, idt
    mov ecx, IDT_LIMIT
    vmcall
.else
    lidt [idtr]                 ; slot `install`: privileged
                                ;ko: 슬롯 `install`: 특권 명령
.endif
    sti                         ; interrupts on (user mode runs with them on, too)
                                ;ko: 인터럽트 켜기(사용자 모드도 켠 채로 돎)
    push USTACK                 ; into user mode: iret pops eip, cs, eflags, esp
                                ;ko: 사용자 모드로: iret이 eip, cs, eflags, esp를 꺼냄
    push 0x202                  ; eflags: IF
                                ;ko: eflags: IF(인터럽트 켬)
    push USER_CS
    push user_main
    iret

user_main:
    mov esi, COUNT
call_loop:
    xor eax, eax                ; system call 0: null
                                ;ko: 시스템 콜 0번: 빈 호출
call_kernel:
    int 0x80                    ; slot `call_kernel`: innocuous (a software interrupt)
                                ;ko: 슬롯 `call_kernel`: 무해한 명령(소프트웨어 인터럽트)
    dec esi
    jne call_loop
    mov eax, 1                  ; system call 1: the end
                                ;ko: 시스템 콜 1번: 끝
    int 0x80

syscall_handler:
    cmp eax, 1
    je finish
    add esp, 4                  ; drop the error code
                                ;ko: 오류 코드 버리기
back:
.if GUEST_back
    push eax                    ; modified: return to user mode by hypercall (the
                                ; hypervisor pops the saved eax, then the iret frame)
                                ;ko: 수정된 형태: 하이퍼콜로 사용자 모드에 돌아감
                                ;ko: (하이퍼바이저가 저장된 eax를 꺼낸 뒤 iret 프레임을 꺼냄)
    mov eax, HC_IRET
    vmcall
.else
    iret                        ; slot `back`: sensitive (at ring 1 it returns to ring 3
                                ; without trapping, and cannot change IF)
                                ;ko: 슬롯 `back`: 민감 명령(링 1에서는 트랩 없이 링 3으로
                                ;ko: 돌아가며, IF를 바꾸지 못함)
.endif

finish:
    mov esi, s_done
finish_say:
    movb eax, [esi]
    test eax, eax
    je finish_off
    out 0xE9, eax
    inc esi
    jmp finish_say
finish_off:
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

s_done: .asciz "system calls done\n"
.align 4096
idtr:   .word idt, IDT_LIMIT
.equ IDT_LIMIT, (VEC_SYSCALL + 1) * 8 - 1
.align 8
idt:    .zero VEC_SYSCALL * 8
        ; present, DPL 3; modified: handler ring 1 (bits 3-4), a trap gate (bit 5)
        ;ko: 존재함(present), DPL 3. 수정된 형태: 핸들러는 링 1(비트 3-4), 트랩 게이트(비트 5)
        .word syscall_handler, 1 | (3 << 1) | (GUEST_install << 3) | (GUEST_install << 5)
